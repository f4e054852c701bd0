#include "guarded.h"
#include "template.h"
