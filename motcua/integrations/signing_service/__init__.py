"""Remote signing (ký số từ xa): the shape of Vietnam's remote signing services.

The key never leaves the provider. We send the digest of what must be signed with the signer's
credential; the provider asks the signer to approve on their phone; we poll for the answer and get the
signature back. `protocol` is the exchange (JSON over HTTP, bearer token), `client` speaks it, `fake` is
a local provider speaking the same protocol (approvals made by the test, or at once).
"""
