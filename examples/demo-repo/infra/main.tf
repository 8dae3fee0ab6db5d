# The payments platform's AWS account: the EKS cluster production runs on and
# the bucket settlement files are exported to.
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
      Project     = "payments"
      Environment = "prod"
    }
  }
}

resource "aws_eks_cluster" "payments" {
  name     = "payments-prod"
  role_arn = "arn:aws:iam::123456789012:role/payments-eks"
  version  = "1.30"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }

  tags = {
    CostCenter = "cc-2001"
    Owner      = "payments-platform"
  }
}

# Settlement exports: nobody added the cost center and owner tags.
resource "aws_s3_bucket" "settlement_exports" {
  bucket = "acme-payments-prod-settlements"
}
