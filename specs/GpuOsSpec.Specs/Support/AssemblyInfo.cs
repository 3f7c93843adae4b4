// Specs are measurements: run one at a time, so no spec's kernels, worker threads or allocations land in another's
// trace or steal its cores (traced scopes queue anyway; this also keeps untraced set-up work apart).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
