// Say so while the server cannot be reached: the browser is offline, or a request of this page to
// its own server failed. Loaded (deferred) before the pages' modules, so their fetches are watched.
(() => {
  const banner = document.getElementById("offline-banner");
  if (!banner) return;
  let requestFailed = false;

  const update = () => {
    const offline = !navigator.onLine || requestFailed;
    // role="alert" announces text put into it; emptied, the banner is hidden (app.css :empty).
    banner.textContent = offline ? banner.dataset.message : "";
  };

  const ownServer = (input) => {
    const url = input instanceof Request ? input.url : String(input);
    return new URL(url, window.location.href).origin === window.location.origin;
  };

  const browserFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    try {
      const response = await browserFetch(input, init);
      if (requestFailed && ownServer(input)) {
        requestFailed = false;
        update();
      }
      return response;
    } catch (error) {
      // An aborted request (a newer search replaced it) is not a lost server.
      if (error.name !== "AbortError" && ownServer(input)) {
        requestFailed = true;
        update();
      }
      throw error;
    }
  };

  window.addEventListener("offline", update);
  window.addEventListener("online", () => {
    requestFailed = false;
    update();
  });
  update();
})();
