/*
 * A row's last, partial block: the first `tail` (1–3) values of block j, whose counter words are (lo + j, hi), written
 * to o[4j …]. A template with T, GEN4, STORE1 and TAIL (its name) defined: included by fill_rows.h and, over the
 * truncated normal's element-by-element generator, by fill.cl for fill_rows_tn.h.
 */
inline void TAIL(__global T *o, uint lo, uint hi, uint j, uint tail, const ci_values *v)
{
    float4 x = GEN4(lo + j, hi, v);
    ulong e = 4 * (ulong)j;
    STORE1(o, e, x.s0);
    if (tail > 1) STORE1(o, e + 1, x.s1);
    if (tail > 2) STORE1(o, e + 2, x.s2);
}
