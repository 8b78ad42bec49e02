"""The action server registers every concrete action of the package, and never the shared base."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor


def test_the_package_scan_registers_the_actions_but_not_their_base() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")

    assert {"action_answer_knowledge", "action_plan_itinerary", "action_set_language"} <= set(
        executor.actions
    )
    assert all(name for name in executor.actions)
