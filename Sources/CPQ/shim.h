#ifndef PHISUT_CPQ_SHIM_H
#define PHISUT_CPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
