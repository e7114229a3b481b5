// swift-tools-version: 6.0
// Fuzz targets for Copydesk, built with `-sanitize=fuzzer,address` by `make fuzz`.
// Sources/Copydesk, Sources/CKernels and Sources/CBLAS are symbolic links to the main package's, so the library is
// compiled with the sanitizers too (a path dependency's identity would depend on the checkout's
// folder name).
import PackageDescription

let package = Package(
    name: "CopydeskFuzz",
    dependencies: [
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0"),
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "Copydesk", dependencies: ["CBLAS", "CKernels", "CLibXML2", .product(name: "CSV", package: "CSV.swift")],
                path: "Sources/Copydesk",
                // For the `article-json` target, which checks an internal reader against JSONDecoder.
                swiftSettings: [.unsafeFlags(["-enable-testing"])]),
        .executableTarget(name: "CopydeskFuzz", dependencies: ["Copydesk"], path: "Sources/CopydeskFuzz"),
    ]
)
