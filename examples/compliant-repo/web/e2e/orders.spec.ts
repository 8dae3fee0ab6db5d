import { expect, test } from "@playwright/test"

test("the order counter counts", async ({ page }) => {
  await page.goto("/")
  await page.getByRole("button", { name: /Orders/ }).click()
  await expect(page.getByRole("button", { name: "Orders: 1" })).toBeVisible()
})
