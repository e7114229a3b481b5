// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Copydesk",
    products: [
        .library(name: "Copydesk", targets: ["Copydesk"]),
        .executable(name: "copydesk", targets: ["CopydeskCLI"]),
        // The HTTP service (`copydesk serve` runs it): a product of its own, so that building the
        // command-line tool (`swift build --product copydesk`) does not build the web framework.
        .executable(name: "copydesk-serve", targets: ["CopydeskServe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // Without its swift-configuration support (a trait we do not use).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // `make docs` (swift package generate-documentation); a plugin, not built with the products.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // The service: routes, limits, metrics and the newsroom page, over the library.
        .target(
            name: "CopydeskService",
            dependencies: ["Copydesk", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "CopydeskServe",
            dependencies: ["Copydesk", "CopydeskService", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Library-call latency and model-load measurements for `make bench`; not part of the product.
        .executableTarget(name: "CopydeskBench", dependencies: ["Copydesk"]),
        .testTarget(name: "CopydeskTests", dependencies: ["Copydesk", "CKernels"], exclude: ["Fixtures"]),
        .testTarget(name: "CopydeskServiceTests", dependencies: ["CopydeskService"]),
    ]
)
