/* SPDX-License-Identifier: MIT
 *
 * liteshift's public API beyond the sqlite3 API that libliteshift.so exports.
 */
#ifndef LITESHIFT_H
#define LITESHIFT_H

#define LITESHIFT_VERSION "0.1.0"

#endif
