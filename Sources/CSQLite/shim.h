#ifndef SEEDWATCH_CSQLITE_SHIM_H
#define SEEDWATCH_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro that Swift cannot import. */
static inline void (*seedwatch_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
#endif
