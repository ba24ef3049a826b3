"""An automated accessibility check for the browser tests: axe-core, served by the app itself.

    assert_no_serious_violations(page)                  # the whole page as it is now
    assert_no_serious_violations(page, context="main")  # one part of it

axe-core comes from web/package-lock.json (copied to /static/vendor/axe-core/ by `make setup`),
so the check needs no network and passes the page's Content-Security-Policy (script-src 'self').
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

AXE_URL = "/static/vendor/axe-core/axe.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})


def axe_violations(page: Page, *, context: str = "document") -> list[dict[str, Any]]:
    """Every axe-core violation on the page (or within the CSS selector `context`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_URL)
    results: dict[str, Any] = page.evaluate(
        """async (selector) => {
            const context = selector === "document" ? document : document.querySelector(selector);
            return await window.axe.run(context, { resultTypes: ["violations"] });
        }""",
        context,
    )
    return list(results["violations"])


def assert_no_serious_violations(page: Page, *, context: str = "document") -> None:
    """Fail with a readable list if axe-core finds any serious or critical violation."""
    serious = [v for v in axe_violations(page, context=context) if v["impact"] in FAILING_IMPACTS]
    assert not serious, f"accessibility violations on {page.url}:\n" + "\n".join(
        _describe(violation) for violation in serious
    )


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"- {violation['impact']}: {violation['id']} ({violation['help']}) at {targets}"
