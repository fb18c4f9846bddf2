#ifndef SEEDWATCH_CSPAWN_H
#define SEEDWATCH_CSPAWN_H

#include <spawn.h>

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), addchdir_np and pipe2, which Swift's
/// Glibc module does not show: spawned plugins must inherit nothing but their three standard streams.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, with no window for another
/// thread's spawn to inherit them.
int cspawn_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// renameat2(RENAME_NOREPLACE): moves `from` to `to` only if nothing is there (EEXIST otherwise),
/// in one step; EINVAL where the file system cannot do it.
int cspawn_rename_noreplace(const char *from, const char *to);

#endif
