/// What the processor-dependent kernels run on, for reports.
public enum KernelInfo {
    /// True when the C kernels use their AVX2 + FMA bodies on this processor.
    public static var usesAVX2FMA: Bool { Kernels.usesAVX2FMA }
}
