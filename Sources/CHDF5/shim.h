// HDF5 (Debian's libhdf5-dev, serial) for Swift: HDF5's type and property constants are macros that
// Swift cannot import, so the few calls EXAFSHDF5 needs are wrapped here. Every function returns a
// negative value on failure (HDF5's convention); nothing here prints (the error stack is silenced).
#ifndef EXAFSKIT_CHDF5_SHIM_H
#define EXAFSKIT_CHDF5_SHIM_H
#include <hdf5.h>
#include <stdint.h>

/// Opens the library and turns off HDF5's automatic error printing (errors come back as values).
static inline int exafs_h5_open(void) {
  if (H5open() < 0) return -1;
  return H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0 ? -1 : 0;
}

/// Creates (truncates) a file.
static inline hid_t exafs_h5_create_file(const char *path) {
  return H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
}

static inline int exafs_h5_close_file(hid_t file) { return H5Fclose(file) < 0 ? -1 : 0; }

/// Creates a group `name` under `parent` (a file or group).
static inline hid_t exafs_h5_create_group(hid_t parent, const char *name) {
  return H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

static inline int exafs_h5_close_group(hid_t group) { return H5Gclose(group) < 0 ? -1 : 0; }

/// Writes a contiguous little-endian float64 dataset of rank 1 or 2 (row-major) under `parent`;
/// `units` (may be NULL) becomes its `units` attribute.
static inline int exafs_h5_write_doubles(hid_t parent, const char *name, int rank, const hsize_t *dims,
                                         const double *data, const char *units);

/// A scalar attribute of type float64 on `object`.
static inline int exafs_h5_attr_double(hid_t object, const char *name, double value) {
  hid_t space = H5Screate(H5S_SCALAR);
  if (space < 0) return -1;
  hid_t attr = H5Acreate2(object, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  int rc = attr < 0 ? -1 : (H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) < 0 ? -1 : 0);
  if (attr >= 0) H5Aclose(attr);
  H5Sclose(space);
  return rc;
}

/// A scalar attribute of type int64 on `object`.
static inline int exafs_h5_attr_int(hid_t object, const char *name, int64_t value) {
  hid_t space = H5Screate(H5S_SCALAR);
  if (space < 0) return -1;
  hid_t attr = H5Acreate2(object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
  int rc = attr < 0 ? -1 : (H5Awrite(attr, H5T_NATIVE_INT64, &value) < 0 ? -1 : 0);
  if (attr >= 0) H5Aclose(attr);
  H5Sclose(space);
  return rc;
}

/// A scalar variable-length UTF-8 string attribute on `object` (h5py reads it as `str`).
static inline int exafs_h5_attr_string(hid_t object, const char *name, const char *value) {
  hid_t type = H5Tcopy(H5T_C_S1);
  if (type < 0) return -1;
  int rc = -1;
  if (H5Tset_size(type, H5T_VARIABLE) >= 0 && H5Tset_cset(type, H5T_CSET_UTF8) >= 0) {
    hid_t space = H5Screate(H5S_SCALAR);
    if (space >= 0) {
      hid_t attr = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
      if (attr >= 0) {
        rc = H5Awrite(attr, type, &value) < 0 ? -1 : 0;
        H5Aclose(attr);
      }
      H5Sclose(space);
    }
  }
  H5Tclose(type);
  return rc;
}

static inline int exafs_h5_write_doubles(hid_t parent, const char *name, int rank, const hsize_t *dims,
                                         const double *data, const char *units) {
  hid_t space = H5Screate_simple(rank, dims, NULL);
  if (space < 0) return -1;
  hid_t set = H5Dcreate2(parent, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int rc = -1;
  if (set >= 0) {
    rc = H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0 ? -1 : 0;
    if (rc == 0 && units) rc = exafs_h5_attr_string(set, "units", units);
    H5Dclose(set);
  }
  H5Sclose(space);
  return rc;
}

/// Opens an existing file read-only (for merging shards' files).
static inline hid_t exafs_h5_open_file_readonly(const char *path) { return H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT); }

/// Number of links (groups) directly under the root of `file`; negative on failure.
static inline long long exafs_h5_root_count(hid_t file) {
  H5G_info_t info;
  if (H5Gget_info(file, &info) < 0) return -1;
  return (long long)info.nlinks;
}

/// The name of root link `index` in name order into `buf` (of `size` bytes); returns the name's
/// length (which may exceed size - 1: call again with a larger buffer), negative on failure.
static inline long long exafs_h5_root_name(hid_t file, unsigned long long index, char *buf, size_t size) {
  return (long long)H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, (hsize_t)index, buf, size, H5P_DEFAULT);
}

/// Copies the object `name` of `source` (a file), with everything under it, to `name` in `destination`.
static inline int exafs_h5_copy(hid_t source, const char *name, hid_t destination) {
  return H5Ocopy(source, name, destination, name, H5P_DEFAULT, H5P_DEFAULT) < 0 ? -1 : 0;
}

#endif
