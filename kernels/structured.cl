/* Placeholder: the structured kernels are being written (see host/structured.c). */
