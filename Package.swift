// swift-tools-version: 6.0
// EXAFSKit: EXAFS processing and wavelet analysis (library + `exafs` command-line tool).
//
// Targets: EXAFSKit (reading, processing, transforms, metrics, batches; links FFTW, GSL, zlib),
// EXAFSPlot (figures over cairo), EXAFSReport (the HTML report), EXAFSHDF5 (one HDF5 file per batch;
// links libhdf5), exafs (the command line).
import PackageDescription

let package = Package(
  name: "EXAFSKit",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "EXAFSKit", targets: ["EXAFSKit"]),
    .library(name: "EXAFSPlot", targets: ["EXAFSPlot"]),
    .library(name: "EXAFSReport", targets: ["EXAFSReport"]),
    .library(name: "EXAFSHDF5", targets: ["EXAFSHDF5"]),
    .executable(name: "exafs", targets: ["exafs"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
    .systemLibrary(name: "CZlibEXAFS", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
    .systemLibrary(name: "CMalloc"),
    // Loaded with dlopen on first use (Sources/CHDF5/shim.h), not linked: no pkg-config link flags.
    .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),
    .target(name: "EXAFSKit", dependencies: ["CFFTW", "CGSL", "CZlibEXAFS"]),
    .target(name: "EXAFSPlot", dependencies: ["EXAFSKit", "CCairo"]),
    .target(name: "EXAFSReport", dependencies: ["EXAFSKit"]),
    // `exafs view`: the loopback HTTP server and the page of the interactive viewer.
    .target(name: "EXAFSView", dependencies: ["EXAFSKit"]),
    // One HDF5 file per batch (libhdf5 stays out of EXAFSKit, like cairo).
    .target(name: "EXAFSHDF5", dependencies: ["EXAFSKit", "CHDF5"]),
    .executableTarget(
      name: "exafs",
      dependencies: [
        "EXAFSKit", "EXAFSPlot", "EXAFSReport", "EXAFSView", "EXAFSHDF5", "CGSL", "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The library example of the README (kept identical to it by a test), built and run in CI.
    .executableTarget(name: "exafs-example", dependencies: ["EXAFSKit"], path: "Examples/ProcessOneSpectrum"),
    .testTarget(
      name: "EXAFSKitTests", dependencies: ["EXAFSKit", "EXAFSPlot", "EXAFSReport"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "exafsTests", dependencies: ["EXAFSKit", "EXAFSPlot", "EXAFSReport", "EXAFSView", "EXAFSHDF5", "exafs"]),
  ]
)
