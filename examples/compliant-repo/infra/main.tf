# The orders service's cloud resources. The provider tags every one of them
# for cost allocation, as the constitution's Resource Tagging asks.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Project     = "orders"
      Environment = "prod"
      CostCenter  = "cc-1042"
      Owner       = "team-orders"
    }
  }
}

resource "aws_s3_bucket" "order_exports" {
  bucket = "acme-orders-prod-exports"
}
