# Debian's libmimetic-dev ships neither a CMake config nor a pkg-config file.
# Provides the IMPORTED target mimetic::mimetic.
find_path(MIMETIC_INCLUDE_DIR mimetic/mimeentity.h)
# The static archive: a `score` process per delivered mail pays for every shared library it loads (startup is
# most of its fixed cost).
find_library(MIMETIC_LIBRARY NAMES libmimetic.a mimetic)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Mimetic REQUIRED_VARS MIMETIC_LIBRARY MIMETIC_INCLUDE_DIR)

if(Mimetic_FOUND AND NOT TARGET mimetic::mimetic)
  add_library(mimetic::mimetic UNKNOWN IMPORTED)
  # SYSTEM include so its deprecated-std warnings never reach our -Werror.
  set_target_properties(mimetic::mimetic PROPERTIES
    IMPORTED_LOCATION "${MIMETIC_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${MIMETIC_INCLUDE_DIR}")
endif()
mark_as_advanced(MIMETIC_INCLUDE_DIR MIMETIC_LIBRARY)
