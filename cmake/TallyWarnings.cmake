# Warnings for every Tally target; -Werror where TALLY_WERROR is on (CI).
add_library(tally_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(tally_warnings INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
      -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers>)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports -Wrestrict on `"literal" + std::string&&` inside libstdc++ (GCC bug 105329).
    target_compile_options(tally_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
  endif()
  if(TALLY_WERROR)
    target_compile_options(tally_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  endif()
elseif(MSVC)
  target_compile_options(tally_warnings INTERFACE /W4 $<$<BOOL:${TALLY_WERROR}>:/WX>)
endif()

# tally_glob_sources(VAR DIR...) collects the .cpp files of the given folders, so each concept's folder can grow
# without every helper editing one shared list.
function(tally_glob_sources out)
  set(files)
  foreach(dir ${ARGN})
    file(GLOB found CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp")
    list(APPEND files ${found})
  endforeach()
  set(${out} ${files} PARENT_SCOPE)
endfunction()
