// Vendor runtimes are not all safe to drive from several test classes at once (PoCL 5.0 asserted in a parallel run on
// the GPU machine), so this assembly's tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
