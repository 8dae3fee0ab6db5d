// The orders API at expected peak for twelve hours, run weekly against
// staging: leaks and pool exhaustion only show after hours.
import http from "k6/http";
import { sleep } from "k6";

export const options = {
  scenarios: {
    soak: { executor: "constant-vus", vus: 100, duration: "12h" },
  },
  thresholds: {
    http_req_duration: ["p(95)<500"],
    http_req_failed: ["rate<0.01"],
  },
};

const base = __ENV.ORDERS_URL || "https://api.acme.example";

export default function () {
  http.get(`${base}/api/v1/orders?limit=20`, { headers: { Authorization: `Bearer ${__ENV.ORDERS_TOKEN}` } });
  sleep(1);
}
