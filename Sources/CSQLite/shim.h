#ifndef PHISUT_CSQLITE_SHIM_H
#define PHISUT_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type CSQLite_transient(void) { return SQLITE_TRANSIENT; }

// The extended result codes are macros built with shifts, which Swift does not import.
static inline int CSQLite_isUniqueViolation(int code) {
    return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}
#endif
