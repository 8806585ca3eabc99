// HDF5 (Debian's libhdf5-dev, serial) for Swift: HDF5's type and property constants are macros that
// Swift cannot import, so the few calls EXAFSHDF5 needs are wrapped here. Every function returns a
// negative value on failure (HDF5's convention); nothing here prints (the error stack is silenced).
//
// The library is loaded with dlopen on first use, not linked: libhdf5 pulls in about 35 shared
// libraries (libcurl, gnutls, Kerberos, LDAP ...) whose loading and initialisation cost every
// exafs process about 12 ms at start, although only `--hdf5` and `exafs summary --hdf5` need them.
// The header gives the types and the literal constants; the functions and the type globals
// (H5T_NATIVE_DOUBLE_g ...) are looked up by name once and called through `exafs_h5_api()`.
#ifndef EXAFSKIT_CHDF5_SHIM_H
#define EXAFSKIT_CHDF5_SHIM_H
#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>
#else
#include <hdf5.h>
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

/// The HDF5 entry points exafs uses, resolved from the loaded library.
typedef struct {
  herr_t (*open)(void);
  herr_t (*get_libversion)(unsigned *, unsigned *, unsigned *);
  herr_t (*Eset_auto2)(hid_t, H5E_auto2_t, void *);
  hid_t (*Fcreate)(const char *, unsigned, hid_t, hid_t);
  hid_t (*Fopen)(const char *, unsigned, hid_t);
  herr_t (*Fclose)(hid_t);
  hid_t (*Gcreate2)(hid_t, const char *, hid_t, hid_t, hid_t);
  herr_t (*Gclose)(hid_t);
  herr_t (*Gget_info)(hid_t, H5G_info_t *);
  hid_t (*Screate)(H5S_class_t);
  hid_t (*Screate_simple)(int, const hsize_t *, const hsize_t *);
  herr_t (*Sclose)(hid_t);
  hid_t (*Acreate2)(hid_t, const char *, hid_t, hid_t, hid_t, hid_t);
  herr_t (*Awrite)(hid_t, hid_t, const void *);
  herr_t (*Aclose)(hid_t);
  hid_t (*Tcopy)(hid_t);
  herr_t (*Tset_size)(hid_t, size_t);
  herr_t (*Tset_cset)(hid_t, H5T_cset_t);
  herr_t (*Tclose)(hid_t);
  hid_t (*Dcreate2)(hid_t, const char *, hid_t, hid_t, hid_t, hid_t, hid_t);
  herr_t (*Dwrite)(hid_t, hid_t, hid_t, hid_t, hid_t, const void *);
  herr_t (*Dclose)(hid_t);
  ssize_t (*Lget_name_by_idx)(hid_t, const char *, H5_index_t, H5_iter_order_t, hsize_t, char *, size_t, hid_t);
  herr_t (*Ocopy)(hid_t, const char *, hid_t, const char *, hid_t, hid_t);
  const hid_t *T_IEEE_F64LE, *T_NATIVE_DOUBLE, *T_STD_I64LE, *T_NATIVE_INT64, *T_C_S1;
} exafs_h5_api_t;

/// Load state: the table, and why loading failed (empty when it did not).
typedef struct {
  pthread_once_t once;
  int loaded;
  exafs_h5_api_t api;
  char error[512];
} exafs_h5_state_t;

static exafs_h5_state_t exafs_h5_state = {PTHREAD_ONCE_INIT, 0, {0}, {0}};

static inline void exafs_h5_load(void) {
  // Debian's serial HDF5 (the soname of the 1.10 series, then the development link).
  static const char *names[] = {"libhdf5_serial.so.103", "libhdf5_serial.so", "libhdf5.so.103", "libhdf5.so"};
  void *lib = NULL;
  for (unsigned i = 0; i < sizeof names / sizeof names[0] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *why = dlerror();
    snprintf(exafs_h5_state.error, sizeof exafs_h5_state.error,
             "the HDF5 library could not be loaded (%s; Debian: apt-get install libhdf5-103-1 or libhdf5-dev)",
             why ? why : "libhdf5_serial.so.103 not found");
    return;
  }
  exafs_h5_api_t *a = &exafs_h5_state.api;
  const char *missing = NULL;
#define EXAFS_H5_SYMBOL(field, symbol) \
  if (!missing && !(*(void **)(&a->field) = dlsym(lib, symbol))) missing = symbol;
  EXAFS_H5_SYMBOL(open, "H5open")
  EXAFS_H5_SYMBOL(get_libversion, "H5get_libversion")
  EXAFS_H5_SYMBOL(Eset_auto2, "H5Eset_auto2")
  EXAFS_H5_SYMBOL(Fcreate, "H5Fcreate")
  EXAFS_H5_SYMBOL(Fopen, "H5Fopen")
  EXAFS_H5_SYMBOL(Fclose, "H5Fclose")
  EXAFS_H5_SYMBOL(Gcreate2, "H5Gcreate2")
  EXAFS_H5_SYMBOL(Gclose, "H5Gclose")
  EXAFS_H5_SYMBOL(Gget_info, "H5Gget_info")
  EXAFS_H5_SYMBOL(Screate, "H5Screate")
  EXAFS_H5_SYMBOL(Screate_simple, "H5Screate_simple")
  EXAFS_H5_SYMBOL(Sclose, "H5Sclose")
  EXAFS_H5_SYMBOL(Acreate2, "H5Acreate2")
  EXAFS_H5_SYMBOL(Awrite, "H5Awrite")
  EXAFS_H5_SYMBOL(Aclose, "H5Aclose")
  EXAFS_H5_SYMBOL(Tcopy, "H5Tcopy")
  EXAFS_H5_SYMBOL(Tset_size, "H5Tset_size")
  EXAFS_H5_SYMBOL(Tset_cset, "H5Tset_cset")
  EXAFS_H5_SYMBOL(Tclose, "H5Tclose")
  EXAFS_H5_SYMBOL(Dcreate2, "H5Dcreate2")
  EXAFS_H5_SYMBOL(Dwrite, "H5Dwrite")
  EXAFS_H5_SYMBOL(Dclose, "H5Dclose")
  EXAFS_H5_SYMBOL(Lget_name_by_idx, "H5Lget_name_by_idx")
  EXAFS_H5_SYMBOL(Ocopy, "H5Ocopy")
  EXAFS_H5_SYMBOL(T_IEEE_F64LE, "H5T_IEEE_F64LE_g")
  EXAFS_H5_SYMBOL(T_NATIVE_DOUBLE, "H5T_NATIVE_DOUBLE_g")
  EXAFS_H5_SYMBOL(T_STD_I64LE, "H5T_STD_I64LE_g")
  EXAFS_H5_SYMBOL(T_NATIVE_INT64, "H5T_NATIVE_INT64_g")
  EXAFS_H5_SYMBOL(T_C_S1, "H5T_C_S1_g")
#undef EXAFS_H5_SYMBOL
  if (missing) {
    snprintf(exafs_h5_state.error, sizeof exafs_h5_state.error,
             "the HDF5 library has no %s (exafs was built against HDF5 %d.%d)", missing, H5_VERS_MAJOR, H5_VERS_MINOR);
    return;
  }
  unsigned major = 0, minor = 0, release = 0;
  // The structures and constants come from this header: the library must be of the same series.
  if (a->open() < 0 || a->get_libversion(&major, &minor, &release) < 0 || major != H5_VERS_MAJOR || minor != H5_VERS_MINOR) {
    snprintf(exafs_h5_state.error, sizeof exafs_h5_state.error,
             "the HDF5 library loaded is version %u.%u.%u, but exafs was built against HDF5 %d.%d", major, minor, release,
             H5_VERS_MAJOR, H5_VERS_MINOR);
    return;
  }
  exafs_h5_state.loaded = 1;
}

/// The resolved entry points, loading the library on first use; NULL when it cannot be loaded.
static inline const exafs_h5_api_t *exafs_h5_api(void) {
  pthread_once(&exafs_h5_state.once, exafs_h5_load);
  return exafs_h5_state.loaded ? &exafs_h5_state.api : NULL;
}

/// Why the library could not be loaded (empty when it was).
static inline const char *exafs_h5_load_error(void) {
  exafs_h5_api();
  return exafs_h5_state.error;
}

// The calls below are written as in HDF5's own API, through the table. HDF5's H5F_ACC_* macros
// call H5check_version and H5open (library symbols), so their literal values are written instead.
#define EXAFS_H5 const exafs_h5_api_t *h5 = exafs_h5_api(); if (!h5) return -1;

/// Loads and opens the library and turns off HDF5's automatic error printing (errors come back as
/// values); -1 when it cannot be loaded (`exafs_h5_load_error()` says why).
static inline int exafs_h5_open(void) {
  EXAFS_H5
  if (h5->open() < 0) return -1;
  return h5->Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0 ? -1 : 0;
}

/// Creates (truncates) a file.
static inline hid_t exafs_h5_create_file(const char *path) {
  EXAFS_H5
  return h5->Fcreate(path, 0x0002u /* H5F_ACC_TRUNC */, H5P_DEFAULT, H5P_DEFAULT);
}

static inline int exafs_h5_close_file(hid_t file) { EXAFS_H5 return h5->Fclose(file) < 0 ? -1 : 0; }

/// Creates a group `name` under `parent` (a file or group).
static inline hid_t exafs_h5_create_group(hid_t parent, const char *name) {
  EXAFS_H5
  return h5->Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

static inline int exafs_h5_close_group(hid_t group) { EXAFS_H5 return h5->Gclose(group) < 0 ? -1 : 0; }

/// Writes a contiguous little-endian float64 dataset of rank 1 or 2 (row-major) under `parent`;
/// `units` (may be NULL) becomes its `units` attribute.
static inline int exafs_h5_write_doubles(hid_t parent, const char *name, int rank, const hsize_t *dims,
                                         const double *data, const char *units);

/// A scalar attribute of type float64 on `object`.
static inline int exafs_h5_attr_double(hid_t object, const char *name, double value) {
  EXAFS_H5
  hid_t space = h5->Screate(H5S_SCALAR);
  if (space < 0) return -1;
  hid_t attr = h5->Acreate2(object, name, *h5->T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  int rc = attr < 0 ? -1 : (h5->Awrite(attr, *h5->T_NATIVE_DOUBLE, &value) < 0 ? -1 : 0);
  if (attr >= 0) h5->Aclose(attr);
  h5->Sclose(space);
  return rc;
}

/// A scalar attribute of type int64 on `object`.
static inline int exafs_h5_attr_int(hid_t object, const char *name, int64_t value) {
  EXAFS_H5
  hid_t space = h5->Screate(H5S_SCALAR);
  if (space < 0) return -1;
  hid_t attr = h5->Acreate2(object, name, *h5->T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  int rc = attr < 0 ? -1 : (h5->Awrite(attr, *h5->T_NATIVE_INT64, &value) < 0 ? -1 : 0);
  if (attr >= 0) h5->Aclose(attr);
  h5->Sclose(space);
  return rc;
}

/// A scalar variable-length UTF-8 string attribute on `object` (h5py reads it as `str`).
static inline int exafs_h5_attr_string(hid_t object, const char *name, const char *value) {
  EXAFS_H5
  hid_t type = h5->Tcopy(*h5->T_C_S1);
  if (type < 0) return -1;
  int rc = -1;
  if (h5->Tset_size(type, H5T_VARIABLE) >= 0 && h5->Tset_cset(type, H5T_CSET_UTF8) >= 0) {
    hid_t space = h5->Screate(H5S_SCALAR);
    if (space >= 0) {
      hid_t attr = h5->Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
      if (attr >= 0) {
        rc = h5->Awrite(attr, type, &value) < 0 ? -1 : 0;
        h5->Aclose(attr);
      }
      h5->Sclose(space);
    }
  }
  h5->Tclose(type);
  return rc;
}

static inline int exafs_h5_write_doubles(hid_t parent, const char *name, int rank, const hsize_t *dims,
                                         const double *data, const char *units) {
  EXAFS_H5
  hid_t space = h5->Screate_simple(rank, dims, NULL);
  if (space < 0) return -1;
  hid_t set = h5->Dcreate2(parent, name, *h5->T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int rc = -1;
  if (set >= 0) {
    rc = h5->Dwrite(set, *h5->T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0 ? -1 : 0;
    if (rc == 0 && units) rc = exafs_h5_attr_string(set, "units", units);
    h5->Dclose(set);
  }
  h5->Sclose(space);
  return rc;
}

/// Opens an existing file read-only (for merging shards' files).
static inline hid_t exafs_h5_open_file_readonly(const char *path) { EXAFS_H5 return h5->Fopen(path, 0x0000u /* H5F_ACC_RDONLY */, H5P_DEFAULT); }

/// Number of links (groups) directly under the root of `file`; negative on failure.
static inline long long exafs_h5_root_count(hid_t file) {
  EXAFS_H5
  H5G_info_t info;
  if (h5->Gget_info(file, &info) < 0) return -1;
  return (long long)info.nlinks;
}

/// The name of root link `index` in name order into `buf` (of `size` bytes); returns the name's
/// length (which may exceed size - 1: call again with a larger buffer), negative on failure.
static inline long long exafs_h5_root_name(hid_t file, unsigned long long index, char *buf, size_t size) {
  EXAFS_H5
  return (long long)h5->Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, (hsize_t)index, buf, size, H5P_DEFAULT);
}

/// Copies the object `name` of `source` (a file), with everything under it, to `name` in `destination`.
static inline int exafs_h5_copy(hid_t source, const char *name, hid_t destination) {
  EXAFS_H5
  return h5->Ocopy(source, name, destination, name, H5P_DEFAULT, H5P_DEFAULT) < 0 ? -1 : 0;
}

#endif
