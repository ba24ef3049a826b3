"""Factor ids the API tests use (stable by design: see docs/data-sources.md)."""

PETROL_CAR = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
UK_GRID = "defra:ghg-cf-2020:uk-electricity.electricity-generated.electricity-uk"
FLIGHT_SHORT_ECONOMY_RF = (
    "defra:ghg-cf-2020:business-travel-air.flights.short-haul-to-from-uk.economy-class.with-rf"
)
GRID_LOCAL = "ember:grid-intensity:local"
