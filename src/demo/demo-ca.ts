/**
 * A real self-signed CA (EC P-256, CN=demo-kas-ca, valid ten years from 2026-11-25) so the KAS CA
 * question can be answered in the demo and the review shows a parsed subject and expiry. Made with:
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj /CN=demo-kas-ca
 * Its key was discarded: it signs nothing.
 */
export const DEMO_CA_PATH = 'demo-ca.pem';

export const DEMO_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUWqdxUNlio9XWuMKLpdMJ61km87kwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLZGVtby1rYXMtY2EwHhcNMjYxMTI1MTIyMjE3WhcNMzYxMTIy
MTIyMjE3WjAWMRQwEgYDVQQDDAtkZW1vLWthcy1jYTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABPLalK208MMRSxYzgd5MeKkp320cthrzJV3b0UQtlT8QYBpimYqa
blazgGbFWYrGjYCaDpbVUh5hfeAT9QNaspyjUzBRMB0GA1UdDgQWBBR1j1DrUN4Q
biPzXciuTRBv0teItzAfBgNVHSMEGDAWgBR1j1DrUN4QbiPzXciuTRBv0teItzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIDygo8tdRMOtSfRx2ROx
KkWX974vpFj/BILB2EtnwXplAiEA4Z2JwphRD8/aA1lVr2n45h1CxbNgZ0OG7NSQ
rIe96mw=
-----END CERTIFICATE-----
`;
