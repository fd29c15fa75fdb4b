#ifndef PHISUT_CQRENCODE_SHIM_H
#define PHISUT_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
