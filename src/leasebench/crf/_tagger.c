/*
 * Linear-chain CRF decoding for leasebench's compiled CRF tagger.
 *
 * tag(weights, rows, ncols, bounds, trans, nlabels, outside, tags, probs)
 *
 *   weights  float64[R * L]   one row of label weights per model attribute (row 0: zeros)
 *   rows     int32[T * ncols] per token, the weight rows of its attributes, in order
 *   bounds   int32[S + 1]     segment s is tokens bounds[s] .. bounds[s + 1] - 1
 *   trans    float64[L * L]   transition weights, trans[i * L + j] for label i -> j
 *   outside  the label whose tokens need no marginal (-1: every token gets one)
 *   tags     int32[T]         out: the Viterbi label of each token
 *   probs    float64[T]       out: each token's marginal probability of its label
 *                             (1.0 where the label is ``outside``)
 *
 * The arithmetic follows crfsuite's tagger operation for operation (state scores summed
 * attribute by attribute from zero, first-best ties, scaled forward-backward, libm exp),
 * so labels and marginals are the ones python-crfsuite gives for the same model.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double *state, *exp_state, *alpha, *beta, *scale, *row;
    int *back;
    int32_t *labels;
} work_t;

static void work_free(work_t *w)
{
    free(w->state);
    free(w->exp_state);
    free(w->alpha);
    free(w->beta);
    free(w->scale);
    free(w->row);
    free(w->back);
    free(w->labels);
}

static int work_alloc(work_t *w, Py_ssize_t n, int L)
{
    memset(w, 0, sizeof(*w));
    w->state = malloc(sizeof(double) * n * L);
    w->exp_state = malloc(sizeof(double) * n * L);
    w->alpha = malloc(sizeof(double) * n * L);
    w->beta = malloc(sizeof(double) * n * L);
    w->scale = malloc(sizeof(double) * n);
    w->row = malloc(sizeof(double) * L);
    w->back = malloc(sizeof(int) * n * L);
    w->labels = malloc(sizeof(int32_t) * n);
    if (!w->state || !w->exp_state || !w->alpha || !w->beta || !w->scale || !w->row ||
        !w->back || !w->labels) {
        work_free(w);
        return -1;
    }
    return 0;
}

/* Each row index is read once and checked again here: the caller's arrays are not locked
 * while the GIL is released, so another thread may have changed them since they were
 * checked. Returns -1 (nothing read out of range) if an index is out of range now. */
static int state_scores(const double *weights, Py_ssize_t R, const int32_t *rows, int ncols,
                        int L, Py_ssize_t n, double *state)
{
    for (Py_ssize_t t = 0; t < n; ++t) {
        double *s = state + t * L;
        const int32_t *r = rows + t * ncols;
        for (int l = 0; l < L; ++l) s[l] = 0.0;
        for (int c = 0; c < ncols; ++c) {
            int32_t row = r[c];
            if (row == 0) continue;
            if (row < 0 || row >= R) return -1;
            const double *w = weights + (Py_ssize_t)row * L;
            for (int l = 0; l < L; ++l) s[l] += w[l];
        }
    }
    return 0;
}

static void viterbi(const double *state, const double *trans, int L, Py_ssize_t n,
                    double *score, int *back, int32_t *labels)
{
    for (int j = 0; j < L; ++j) score[j] = state[j];
    for (Py_ssize_t t = 1; t < n; ++t) {
        const double *prev = score + (t - 1) * L;
        double *cur = score + t * L;
        int *bk = back + t * L;
        for (int j = 0; j < L; ++j) {
            double best = -DBL_MAX;
            bk[j] = 0; /* every score NaN or -inf: label 0, never an unset index */
            for (int i = 0; i < L; ++i) {
                double v = prev[i] + trans[(Py_ssize_t)i * L + j];
                if (best < v) {
                    best = v;
                    bk[j] = i;
                }
            }
            cur[j] = best + state[t * L + j];
        }
    }
    const double *last = score + (n - 1) * L;
    double best = -DBL_MAX;
    labels[n - 1] = 0;
    for (int i = 0; i < L; ++i) {
        if (best < last[i]) {
            best = last[i];
            labels[n - 1] = i;
        }
    }
    for (Py_ssize_t t = n - 2; t >= 0; --t) labels[t] = back[(t + 1) * L + labels[t + 1]];
}

static void forward_backward(const double *exp_state, const double *exp_trans, int L,
                             Py_ssize_t n, double *alpha, double *beta, double *scale,
                             double *row)
{
    double sum = 0.0;
    for (int j = 0; j < L; ++j) alpha[j] = exp_state[j];
    for (int j = 0; j < L; ++j) sum += alpha[j];
    scale[0] = (sum != 0.) ? 1. / sum : 1.;
    for (int j = 0; j < L; ++j) alpha[j] *= scale[0];
    for (Py_ssize_t t = 1; t < n; ++t) {
        const double *prev = alpha + (t - 1) * L;
        double *cur = alpha + t * L;
        const double *st = exp_state + t * L;
        for (int j = 0; j < L; ++j) cur[j] = 0.0;
        for (int i = 0; i < L; ++i) {
            const double *tr = exp_trans + (Py_ssize_t)i * L;
            for (int j = 0; j < L; ++j) cur[j] += prev[i] * tr[j];
        }
        for (int j = 0; j < L; ++j) cur[j] *= st[j];
        sum = 0.0;
        for (int j = 0; j < L; ++j) sum += cur[j];
        scale[t] = (sum != 0.) ? 1. / sum : 1.;
        for (int j = 0; j < L; ++j) cur[j] *= scale[t];
    }
    double *end = beta + (n - 1) * L;
    for (int j = 0; j < L; ++j) end[j] = scale[n - 1];
    for (Py_ssize_t t = n - 2; t >= 0; --t) {
        double *cur = beta + t * L;
        const double *next = beta + (t + 1) * L;
        const double *st = exp_state + (t + 1) * L;
        for (int j = 0; j < L; ++j) row[j] = next[j] * st[j];
        for (int i = 0; i < L; ++i) {
            const double *tr = exp_trans + (Py_ssize_t)i * L;
            double s = 0.0;
            for (int j = 0; j < L; ++j) s += tr[j] * row[j];
            cur[i] = s;
        }
        for (int i = 0; i < L; ++i) cur[i] *= scale[t];
    }
}

static int check(Py_buffer *b, Py_ssize_t items, Py_ssize_t size, const char *name)
{
    if (b->len != items * size) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes, expected %zd", name, b->len,
                     items * size);
        return -1;
    }
    if ((uintptr_t)b->buf % (uintptr_t)size != 0) {
        PyErr_Format(PyExc_ValueError, "%s: not aligned to its %zd-byte items", name, size);
        return -1;
    }
    return 0;
}

static int overlap(const Py_buffer *a, const Py_buffer *b)
{
    const char *a0 = a->buf, *b0 = b->buf;
    return a->len > 0 && b->len > 0 && a0 < b0 + b->len && b0 < a0 + a->len;
}

/* The outputs may share memory with nothing: writing them must not change an input. */
static int distinct(Py_buffer *in[], int nin, Py_buffer *out[], int nout)
{
    for (int o = 0; o < nout; ++o) {
        for (int i = 0; i < nin; ++i)
            if (overlap(out[o], in[i])) goto shared;
        for (int p = o + 1; p < nout; ++p)
            if (overlap(out[o], out[p])) goto shared;
    }
    return 0;
shared:
    PyErr_SetString(PyExc_ValueError, "tags and probs must not share memory with each other "
                                      "or with an input");
    return -1;
}

static PyObject *tag(PyObject *self, PyObject *args)
{
    Py_buffer weights, rows, bounds, trans, tags, probs;
    int ncols, L, outside;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*iy*y*iiw*w*", &weights, &rows, &ncols, &bounds, &trans,
                          &L, &outside, &tags, &probs))
        return NULL;
    Py_ssize_t T = (Py_ssize_t)(tags.len / sizeof(int32_t));
    Py_ssize_t S = (Py_ssize_t)(bounds.len / sizeof(int32_t)) - 1;
    Py_ssize_t R = (L > 0) ? (Py_ssize_t)(weights.len / sizeof(double) / L) : 0;
    const int32_t *r = (const int32_t *)rows.buf;
    int32_t *b = NULL; /* a private copy: the caller's array may change once the GIL is free */
    double *exp_trans = NULL;
    work_t w;
    int have_work = 0, bad_row = 0;
    Py_buffer *in[] = {&weights, &rows, &bounds, &trans}, *out[] = {&tags, &probs};
    if (L <= 0 || L > 46340 || ncols <= 0 || ncols > 65535 || S < 0 ||
        check(&weights, R * L, sizeof(double), "weights") ||
        check(&rows, T * ncols, sizeof(int32_t), "rows") ||
        check(&bounds, S + 1, sizeof(int32_t), "bounds") ||
        check(&trans, (Py_ssize_t)L * L, sizeof(double), "trans") ||
        check(&tags, T, sizeof(int32_t), "tags") || check(&probs, T, sizeof(double), "probs") ||
        distinct(in, 4, out, 2)) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "bad shapes");
        goto done;
    }
    b = malloc(sizeof(int32_t) * (S + 1));
    if (!b) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(b, bounds.buf, sizeof(int32_t) * (S + 1));
    Py_ssize_t longest = 0;
    for (Py_ssize_t s = 0; s < S; ++s) {
        if (b[s] < 0 || b[s + 1] <= b[s] || b[s + 1] > T) {
            PyErr_SetString(PyExc_ValueError, "bounds must rise strictly within the tokens");
            goto done;
        }
        if (b[s + 1] - b[s] > longest) longest = b[s + 1] - b[s];
    }
    if (S > 0 && (b[0] != 0 || b[S] != T)) {
        PyErr_SetString(PyExc_ValueError, "bounds must cover every token");
        goto done;
    }
    for (Py_ssize_t k = 0; k < T * ncols; ++k) {
        if (r[k] < 0 || r[k] >= R) {
            PyErr_SetString(PyExc_ValueError, "a row index is out of range");
            goto done;
        }
    }
    exp_trans = malloc(sizeof(double) * L * L);
    if (!exp_trans || work_alloc(&w, longest > 0 ? longest : 1, L) != 0) {
        PyErr_NoMemory();
        goto done;
    }
    have_work = 1;
    const double *tr = (const double *)trans.buf;
    for (Py_ssize_t k = 0; k < (Py_ssize_t)L * L; ++k) exp_trans[k] = exp(tr[k]);
    int32_t *out_tags = (int32_t *)tags.buf;
    double *prob = (double *)probs.buf;

    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; s < S; ++s) {
        Py_ssize_t lo = b[s], n = b[s + 1] - b[s];
        const int32_t *lab = w.labels; /* read back from private memory only */
        if (state_scores((const double *)weights.buf, R, r + lo * ncols, ncols, L, n,
                         w.state) != 0) {
            bad_row = 1;
            break;
        }
        viterbi(w.state, tr, L, n, w.alpha, w.back, w.labels);
        int needed = 0;
        for (Py_ssize_t t = 0; t < n; ++t) {
            out_tags[lo + t] = lab[t];
            prob[lo + t] = 1.0;
            if (lab[t] != outside) needed = 1;
        }
        if (!needed) continue;
        for (Py_ssize_t k = 0; k < n * L; ++k) w.exp_state[k] = exp(w.state[k]);
        forward_backward(w.exp_state, exp_trans, L, n, w.alpha, w.beta, w.scale, w.row);
        for (Py_ssize_t t = 0; t < n; ++t) {
            int l = lab[t];
            if (l != outside)
                prob[lo + t] = w.alpha[t * L + l] * w.beta[t * L + l] / w.scale[t];
        }
    }
    Py_END_ALLOW_THREADS

    if (bad_row) {
        PyErr_SetString(PyExc_ValueError, "a row index changed while tagging");
        goto done;
    }
    result = Py_None;
    Py_INCREF(result);
done:
    if (have_work) work_free(&w);
    free(exp_trans);
    free(b);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&bounds);
    PyBuffer_Release(&trans);
    PyBuffer_Release(&tags);
    PyBuffer_Release(&probs);
    return result;
}

static PyMethodDef methods[] = {
    {"tag", tag, METH_VARARGS,
     "tag(weights, rows, ncols, bounds, trans, nlabels, outside, tags, probs): Viterbi "
     "labels and their marginals, written into tags and probs."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_tagger", "Linear-chain CRF decoding (crfsuite's arithmetic).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__tagger(void) { return PyModule_Create(&module); }
