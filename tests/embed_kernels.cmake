# cmake/embed_kernels.cmake on tests/embed/root.cl (run with cmake -P, -DSOURCE_DIR=the checkout -DWORK=a folder),
# whose one.cl and two.cl both include guarded.h and template.h: the guarded header is copied once, the template
# (which opens with #ifndef NAME / #define NAME, as kernels/fill_runs.h does) at each #include.
execute_process(COMMAND ${CMAKE_COMMAND} -DOUT=${WORK}/embed.c -DROOT=${SOURCE_DIR}/tests/embed/root.cl
                        -DSOURCE_OUT=${WORK}/embed.cl -P ${SOURCE_DIR}/cmake/embed_kernels.cmake RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "embed_kernels.cmake failed: ${rc}")
endif()
file(READ ${WORK}/embed.cl text)
string(REGEX MATCHALL "guarded_body" guarded "${text}")
string(REGEX MATCHALL "template_body" template "${text}")
list(LENGTH guarded g)
list(LENGTH template t)
if(NOT g EQUAL 1 OR NOT t EQUAL 2)
  message(FATAL_ERROR "guarded header copied ${g} times (want 1), template ${t} times (want 2):\n${text}")
endif()
