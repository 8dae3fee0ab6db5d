// The orders API at twice its expected peak, failing on the constitution's
// latency targets: run before every major release.
import http from "k6/http";
import { check, sleep } from "k6";

// Expected peak: the busiest hour of the last quarter, in virtual users.
const EXPECTED_PEAK_VUS = 100;

export const options = {
  stages: [
    { duration: "5m", target: EXPECTED_PEAK_VUS * 2 },
    { duration: "20m", target: EXPECTED_PEAK_VUS * 2 },
    { duration: "5m", target: 0 },
  ],
  thresholds: {
    http_req_duration: ["p(50)<100", "p(95)<500", "p(99)<1000"],
    http_req_failed: ["rate<0.01"],
  },
};

const base = __ENV.ORDERS_URL || "https://api.acme.example";

export default function () {
  const response = http.get(`${base}/api/v1/orders?limit=20`, {
    headers: { Authorization: `Bearer ${__ENV.ORDERS_TOKEN}` },
  });
  check(response, { "listed orders": (r) => r.status === 200 });
  sleep(1);
}
