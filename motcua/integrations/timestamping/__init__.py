"""RFC 3161 timestamping (dấu thời gian): a client for a timestamp authority over HTTP, and a local fake.

`client.Rfc3161TimeStamper(url)` is a pyHanko `TimeStamper` that POSTs the DER `TimeStampReq`
(`application/timestamp-query`) and reads the DER `TimeStampResp` (`application/timestamp-reply`), as
RFC 3161 section 3.4 says. `fake.FakeTsa` is a local server speaking the same protocol, signing with a
certificate of its own (extended key usage timeStamping), for tests and development.
"""
