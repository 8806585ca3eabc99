// swift-tools-version: 6.0
// EXAFSKit: EXAFS processing and wavelet analysis (library + `exafs` command-line tool).
import PackageDescription

let package = Package(
  name: "EXAFSKit",
  products: [
    .library(name: "EXAFSKit", targets: ["EXAFSKit"]),
    .executable(name: "exafs", targets: ["exafs"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
    .systemLibrary(name: "CZlibEXAFS", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
    .systemLibrary(name: "CMalloc"),
    .target(name: "EXAFSKit", dependencies: ["CFFTW", "CGSL", "CZlibEXAFS", "CCairo", "CMalloc"]),
    .executableTarget(
      name: "exafs",
      dependencies: ["EXAFSKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(
      name: "EXAFSKitTests", dependencies: ["EXAFSKit"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "exafsTests", dependencies: ["EXAFSKit", "exafs"]),
  ]
)
