"""Digital signatures (ký số): certificates, signing the center's documents, public verification."""

import logging
import warnings

# pyHanko imports cryptography's DSA types (never used here: the keys are ECDSA or RSA); cryptography
# warns about DSA at that import, on every command's output.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
# fontTools logs every step of subsetting the stamp's font at INFO: a hundred lines per signature.
logging.getLogger("fontTools").setLevel(logging.WARNING)
