/* SPDX-License-Identifier: MIT
 *
 * The compat pack's version number, bumped whenever compat/sql/ changes.
 */
#include "compat.h"

int ls_compat_version(void)
{
    return 41;
}
