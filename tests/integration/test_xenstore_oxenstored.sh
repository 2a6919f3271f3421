#!/bin/bash
# SPDX-License-Identifier: ISC
# test_xenstore.sh against oxenstored (XenServer's and XCP-ng's daemon),
# shimmed the same way, in a private mount namespace for its fixed
# /run/xenstored. The shimmed oxenstored 4.17 answers XS_INTRODUCE with
# EINVAL after mapping the ring, so domains appear and go here through
# their /local/domain keys only (the C xenstored test covers the special
# watches).
export XS_FLAVOR=oxenstored
exec bash "$(dirname "${BASH_SOURCE[0]}")/test_xenstore.sh"
