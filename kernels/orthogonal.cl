/* Placeholder: the orthogonal kernels are being written (see host/orthogonal.c). */
