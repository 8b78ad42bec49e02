"""Finer intents count as the inventory intent they were split from, and only those."""

from common.intents import as_inventory_intent


def test_a_finer_intent_counts_as_its_inventory_intent() -> None:
    assert as_inventory_intent("ask_reservation", "ask_attraction_info") == "ask_attraction_info"
    assert as_inventory_intent("plan_itinerary", "recommend_attractions") == "recommend_attractions"
    assert as_inventory_intent("ask_altitude", "ask_weather") == "ask_weather"


def test_other_predictions_are_left_as_they_are() -> None:
    assert as_inventory_intent("ask_reservation", "ask_ticket_price") == "ask_reservation"
    assert as_inventory_intent("greet", "ask_attraction_info") == "greet"
    assert as_inventory_intent("out_of_scope", "ask_weather") == "out_of_scope"
    assert as_inventory_intent(None, "greet") is None
