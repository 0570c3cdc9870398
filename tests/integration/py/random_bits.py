# SPDX-License-Identifier: MIT
# Both backends: random() gives 64 random bits: its low bits vary (abs(random()) % 2 took both
# values), the high ones too (signs), and each draw is an integer.  Counts over 400 draws are
# printed as bands, so the output is the same on both backends whatever the draws.
import sqlite3
cx = sqlite3.connect("random_bits.db", isolation_level=None)
vals = [cx.execute("select random()").fetchone()[0] for _ in range(400)]
odd = sum(v & 1 for v in vals)
low = len({v & 0xFFF for v in vals})
neg = sum(v < 0 for v in vals)
print("integers:", all(isinstance(v, int) for v in vals))
print("odd ones between 120 and 280:", 120 <= odd <= 280)
print("more than 300 distinct low 12 bits:", low > 300)
print("negative ones between 120 and 280:", 120 <= neg <= 280)
print("abs(random()) % 2 both values:",
      sorted({cx.execute("select abs(random()) % 2").fetchone()[0] for _ in range(60)}))
