"""The remote signing exchange.

    POST {base}/signatures   {"credential_id", "hash" (base64), "hash_algorithm": "sha256", "description"}
      -> 202 {"transaction_id", "status": "pending", "expires_in": seconds}
    GET  {base}/signatures/{transaction_id}
      -> 200 {"transaction_id", "status": "pending" | "approved" | "rejected" | "expired",
              "signature": base64 (only when approved: the raw signature of the digest — DER ECDSA
              or PKCS#1 v1.5 RSA, as the credential's key)}
    Errors: 401 (token), 404 (unknown credential or transaction), 422 (bad request), each
      {"error": code}.
"""

PENDING, APPROVED, REJECTED, EXPIRED = "pending", "approved", "rejected", "expired"
STATUSES = (PENDING, APPROVED, REJECTED, EXPIRED)
