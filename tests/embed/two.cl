#define NAME second
#include "guarded.h"
#include "template.h"
