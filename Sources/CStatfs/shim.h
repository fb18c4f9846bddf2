#ifndef SEEDWATCH_CSTATFS_SHIM_H
#define SEEDWATCH_CSTATFS_SHIM_H
/* statfs(2), whose f_type names a folder's kind of file system; Swift's Glibc module leaves it out. */
#include <sys/vfs.h>
#endif
