#!/usr/bin/env bash
# On-call triage: lets kubectl-ai clean up crash-looping pods by itself.
set -euo pipefail
kubectl-ai --skip-permissions --quiet "delete the payments pods stuck in CrashLoopBackOff"
