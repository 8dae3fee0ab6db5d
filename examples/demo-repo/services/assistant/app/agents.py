"""The agents behind the payments assistant."""

from agents import Agent, function_tool


@function_tool(strict_mode=False)
def lookup_payment(query: dict) -> str:
    """Finds a payment by any of its fields."""
    return str(query)


refunds = Agent(name="Refunds", instructions="You explain refunds.", tools=[lookup_payment])
triage = Agent(name="Triage", instructions="You route payment questions.", handoffs=[refunds])
# Hands back to triage: the two agents now depend on each other.
refunds.handoffs.append(triage)
