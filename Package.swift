// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Copydesk",
    products: [
        .library(name: "Copydesk", targets: ["Copydesk"]),
        .executable(name: "copydesk", targets: ["CopydeskCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // BLAS (cblas.h) and the Fortran LAPACK routines we call; Debian libblas-dev + liblapack-dev.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // libxml2's HTML parser (Debian libxml2-dev), for reading web pages.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // The sparse kernel of training, with an AVX2 + FMA body chosen at run time.
        .target(name: "CKernels"),
        .target(
            name: "Copydesk",
            dependencies: ["CBLAS", "CKernels", "CLibXML2", .product(name: "CSV", package: "CSV.swift")]
        ),
        .executableTarget(
            name: "CopydeskCLI",
            dependencies: ["Copydesk", "CKernels", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Library-call latency and model-load measurements for `make bench`; not part of the product.
        .executableTarget(name: "CopydeskBench", dependencies: ["Copydesk"]),
        .testTarget(name: "CopydeskTests", dependencies: ["Copydesk", "CKernels"], exclude: ["Fixtures"]),
    ]
)
