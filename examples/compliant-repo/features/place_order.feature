Feature: Place an order
  Customers place orders through the API; each order starts pending.

  Background:
    Given a signed-in customer with the scope "orders.write"

  Scenario: A valid order is accepted
    When the customer posts an order with 2 lines
    Then the response status is 201
    And the order's status is "pending"
    And an OrderCreated event is published

  Scenario Outline: An invalid order is rejected with problem details
    When the customer posts an order with <lines> lines
    Then the response status is 400
    And the response is application/problem+json

    Examples:
      | lines |
      | 0     |

  Scenario: Too many orders in a minute
    Given the customer has posted 100 orders in the last minute
    When the customer posts another order
    Then the response status is 429
    And the response has a Retry-After header
