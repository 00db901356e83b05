# cython: language_level=3
"""The joint kernel's network and working state as C structs, and its steps for one replication:
month closures, when a freed place can next take someone, a service's next arrival, and its
bounds (`JointKernel`'s rules, one replication at a time). Inline C, for `loop.pyx`.

`_fmin` and `_fmax` are Python's `min` and `max` of two floats (the second only when strictly
smaller or larger), as the numpy kernel's comparisons choose."""

from placeplan.capacity.domain.kernels.compiled.heap cimport _set

from libc.math cimport INFINITY


cdef struct Net:
    # the network, flat (see `CompiledJointKernel.__init__`)
    Py_ssize_t R, n, ctot, qtot, n_cycles
    Py_ssize_t* width
    Py_ssize_t* foff
    double* F0
    double* shift
    Py_ssize_t* ev_off
    Py_ssize_t* ev_n
    double* ev_time
    Py_ssize_t* cl_off
    Py_ssize_t* cl_place
    double* cl_until
    Py_ssize_t* per_off
    Py_ssize_t* per_n
    double* per_begin
    Py_ssize_t* cu_off
    double* closed_until
    double* arr
    Py_ssize_t* aoff
    Py_ssize_t* cap
    Py_ssize_t* soff
    double* stays
    double* route
    Py_ssize_t* cp_off
    double* cum_p
    Py_ssize_t* tg_off
    Py_ssize_t* tg
    Py_ssize_t* tq_off
    Py_ssize_t* up_off
    Py_ssize_t* up
    Py_ssize_t* qb_off
    Py_ssize_t* an_off
    Py_ssize_t* an
    Py_ssize_t* cyclic
    Py_ssize_t* cycle_of
    double* out_arrival
    double* out_start
    double* out_ready
    double* out_leave
    unsigned char* out_external
    Py_ssize_t* counts


cdef struct Work:
    # one thread's working arrays (`_workspace`)
    double* F
    Py_ssize_t* hF
    Py_ssize_t* wF
    double* Q
    Py_ssize_t* hQ
    Py_ssize_t* wQ
    Py_ssize_t* holder
    Py_ssize_t* qarg
    double* qmin
    Py_ssize_t* ext_row
    Py_ssize_t* count
    Py_ssize_t* ptr
    double* next_event
    double* t
    double* mk
    Py_ssize_t* pos
    double* pl
    double* nu
    double* floor
    unsigned char* has_floor
    unsigned char* from_ext
    double* before
    double* first


cdef inline double _fmin(double a, double b) noexcept nogil:
    return b if b < a else a


cdef inline double _fmax(double a, double b) noexcept nogil:
    return b if b > a else a


cdef inline void _cross(Net* g, Work* w, Py_ssize_t i) noexcept nogil:
    """Apply node i's next month closures (ServerBank.cross, one replication)."""
    cdef Py_ssize_t p = w.ptr[i]
    cdef Py_ssize_t e, q, j
    if p < g.ev_n[i]:
        e = g.ev_off[i] + p
        for q in range(g.cl_off[e], g.cl_off[e + 1]):
            j = g.cl_place[q]
            if g.cl_until[q] > w.F[g.foff[i] + j]:
                _set(w.F, w.hF, w.wF, g.foff[i], g.width[i], j, g.cl_until[q])
    w.ptr[i] = p + 1 if p + 1 < g.ev_n[i] else g.ev_n[i]
    w.next_event[i] = g.ev_time[g.ev_off[i] + w.ptr[i]]


cdef inline double _effective(
    Net* g, Work* w, Py_ssize_t u, Py_ssize_t place, double free
) noexcept nogil:
    """ServerBank.effective for one place: when a place freed at `free` can next take someone."""
    cdef double f = free + g.shift[u]
    cdef double passed = g.ev_time[g.ev_off[u] + w.ptr[u] - 1] if w.ptr[u] > 0 else -INFINITY
    cdef double when = _fmax(f, passed)
    # searchsorted(period_begins, when, side="right") - 1, clipped
    cdef Py_ssize_t lo = 0
    cdef Py_ssize_t hi = g.per_n[u]
    cdef Py_ssize_t mid, period
    while lo < hi:
        mid = (lo + hi) // 2
        if g.per_begin[g.per_off[u] + mid] <= when:
            lo = mid + 1
        else:
            hi = mid
    period = lo - 1 if lo - 1 > 0 else 0
    if period > g.per_n[u] - 1:
        period = g.per_n[u] - 1
    return _fmax(f, g.closed_until[g.cu_off[u] + period * g.width[u] + place])


cdef inline void _arrivals(Net* g, Work* w, Py_ssize_t i, Py_ssize_t r) noexcept nogil:
    """Node i's next arrival: the earliest of its next own arrival and those routed to it."""
    cdef double te = g.arr[g.aoff[i] + w.ext_row[i] * g.R + r]
    cdef double ti = te
    cdef Py_ssize_t j, b, a
    for j in range(g.up_off[i], g.up_off[i + 1]):
        b = g.qb_off[j]
        a = w.hQ[b]
        w.qarg[j] = a
        w.qmin[j] = w.Q[b + a]
        ti = _fmin(ti, w.qmin[j])
    w.t[i] = ti
    if g.up_off[i + 1] > g.up_off[i]:
        w.from_ext[i] = te <= ti


cdef inline void _bounds_crossing(Net* g, Work* w, Py_ssize_t i) noexcept nogil:
    """Node i's earliest free place (mk, pos), pending bound pl and nu, applying the month
    closures its clock has passed (JointKernel._bounds_crossing, one replication)."""
    cdef Py_ssize_t p0, x
    cdef double pli
    while True:
        p0 = w.hF[g.foff[i]]
        w.pos[i] = p0
        w.mk[i] = w.F[g.foff[i] + p0] - g.shift[i]
        if g.tg_off[i + 1] > g.tg_off[i]:
            pli = INFINITY
            for x in range(g.tg_off[i], g.tg_off[i + 1]):
                pli = _fmin(pli, _fmax(w.qmin[g.tq_off[x]], w.nu[g.tg[x]]))
            w.pl[i] = pli
            w.nu[i] = _fmax(w.t[i], _fmin(w.mk[i], pli))
        else:
            w.nu[i] = _fmax(w.t[i], w.mk[i])
        if w.has_floor[i]:
            w.nu[i] = _fmax(w.nu[i], w.floor[i])
        # (past the last closure next_event is inf: nothing more to cross)
        if w.ptr[i] >= g.ev_n[i] or w.nu[i] + g.shift[i] < w.next_event[i]:
            return
        _cross(g, w, i)
