#include "copy.h"
int ls_copy_backward(const ls_copy_opts *o) { (void)o; return 1; }
