"""The order assistant: answers customers' questions about an order.

A triage agent hands off to two specialists, one level deep. The prompts are
written here, under version control; tools keep no state of their own (the
order service comes in the run context); every run's token usage is logged.
"""

import logging

from agents import Agent, RunContextWrapper, Runner, function_tool

from app.service import OrderService

logger = logging.getLogger(__name__)


@function_tool
def order_status(ctx: RunContextWrapper[OrderService], order_id: str) -> str:
    """Returns the status of one order."""
    return ctx.context.status(order_id)


shipping = Agent(
    name="Shipping",
    instructions="You answer questions about where an order is. Use order_status; never guess a date.",
    tools=[order_status],
)
billing = Agent(
    name="Billing",
    instructions="You explain an order's charges and refunds. Do not promise refunds; describe the policy.",
)
assistant = Agent(
    name="Order assistant",
    instructions="You route each question about an order to the shipping or the billing specialist.",
    handoffs=[shipping, billing],
)


async def answer(question: str, orders: OrderService) -> str:
    """Answers one question and logs what it cost."""
    result = await Runner.run(assistant, question, context=orders)
    usage = result.context_wrapper.usage
    logger.info(
        "assistant run",
        extra={"requests": usage.requests, "input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens},
    )
    return result.final_output
