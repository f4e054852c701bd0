/* a header with an include guard: copied once */
#ifndef CLINIT_EMBED_GUARDED_H
#define CLINIT_EMBED_GUARDED_H
guarded_body
#endif
