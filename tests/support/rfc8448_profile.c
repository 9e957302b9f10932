/* RFC 8448 §3's ClientHello contents (the other traces use the same list). */
#include "rfc8448_profile.h"

#include "ext/ext.h"

static const uint16_t pl_rfc8448_order[] = {
    PL_EXT_SERVER_NAME,
    PL_EXT_RENEGOTIATION_INFO,
    PL_EXT_SUPPORTED_GROUPS,
    PL_EXT_SESSION_TICKET,
    PL_EXT_KEY_SHARE,
    PL_EXT_SUPPORTED_VERSIONS,
    PL_EXT_SIGNATURE_ALGORITHMS,
    PL_EXT_PSK_KEY_EXCHANGE_MODES,
    PL_EXT_RECORD_SIZE_LIMIT,
};

/* x25519, secp256r1, secp384r1, secp521r1, ffdhe2048..ffdhe8192. */
static const uint16_t pl_rfc8448_groups[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100,
                                             0x0101, 0x0102, 0x0103, 0x0104};

static const uint16_t pl_rfc8448_sig_algs[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804,
                                               0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                               0x0201, 0x0402, 0x0502, 0x0602, 0x0202};

const pl_client_profile pl_test_rfc8448_profile = {
    .ext_order = pl_rfc8448_order,
    .num_ext = sizeof(pl_rfc8448_order) / sizeof(pl_rfc8448_order[0]),
    .groups = pl_rfc8448_groups,
    .num_groups = sizeof(pl_rfc8448_groups) / sizeof(pl_rfc8448_groups[0]),
    .sig_algs = pl_rfc8448_sig_algs,
    .num_sig_algs = sizeof(pl_rfc8448_sig_algs) / sizeof(pl_rfc8448_sig_algs[0]),
    .session_id_len = 0,
    .record_size_limit = 0x4001,
};

const uint16_t pl_test_rfc8448_suites[] = {0x1301, 0x1303, 0x1302};
const size_t pl_test_rfc8448_num_suites = 3;
