# spamcore_target_defaults(tgt): our warning set and, with SPAMCORE_SANITIZE, ASan+UBSan.
function(spamcore_target_defaults tgt)
  target_compile_features(${tgt} PRIVATE cxx_std_20)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports -Wrestrict inside std::string for plain `s = "literal"` (GCC bug 105651).
    target_compile_options(${tgt} PRIVATE -Wno-restrict)
  endif()
  if(SPAMCORE_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
  if(SPAMCORE_SANITIZE)
    target_compile_options(${tgt} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                          -fno-sanitize-recover=undefined)
    target_link_options(${tgt} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
