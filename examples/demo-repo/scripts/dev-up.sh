#!/usr/bin/env bash
# Starts the local cluster the services are developed against.
set -euo pipefail
minikube start --kubernetes-version=v1.27.3 --cpus=4 --memory=8g
minikube addons enable ingress
