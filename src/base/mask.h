/* mask: how ID numbers and phones are shown to roles that may not see them in full.
 * ID: first 6 and last 4 kept, the rest '*' (370202********1234).
 * Phone: first 3 and last 4 kept (138****5678; 0532-88886666 -> 053******6666).
 * Values too short for that (ID <= 10, phone <= 7 bytes) keep only the first and last byte
 * (E*******8); 2 bytes or fewer are all '*'. NULL or "" gives "". Inputs are ASCII. */
#ifndef FK_MASK_H
#define FK_MASK_H
#include <stddef.h>

/* Write the masked form of s into out (outsz bytes, always NUL-terminated); return out. */
char *fk_mask_id(const char *s, char *out, size_t outsz);
char *fk_mask_phone(const char *s, char *out, size_t outsz);

#endif
